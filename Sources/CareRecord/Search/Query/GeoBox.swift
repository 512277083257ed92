import FHIR
import Foundation

/// The latitude and longitude ranges that hold every point within a `near` distance, so the
/// exact distance is computed only for positions inside them. Near a pole, or when the box
/// would cross the antimeridian, longitude is left unbounded (nil): a wider box is still
/// right, only less selective.
struct GeoBox {
    let latitudes: ClosedRange<Double>
    let longitudes: ClosedRange<Double>?

    /// Kilometres per degree of latitude (mean radius 6,371.0088 km), a little under, so the box
    /// errs wide.
    static let kilometresPerDegree = 111.19

    init(around near: NearSearchValue) {
        let degrees = near.kilometres / Self.kilometresPerDegree * 1.001
        let low = near.latitude - degrees
        let high = near.latitude + degrees
        latitudes = max(-90, low)...min(90, high)
        let widest = max(abs(low), abs(high))
        guard widest < 89 else {
            longitudes = nil
            return
        }
        let span = degrees / cos(widest * .pi / 180)
        if near.longitude - span < -180 || near.longitude + span > 180 {
            longitudes = nil
        } else {
            longitudes = (near.longitude - span)...(near.longitude + span)
        }
    }
}
