/// A Location `near` value (R4 3.1.1.4.x): `latitude|longitude|distance|units`, in decimal
/// degrees (WGS84, as `Location.position`) and a distance in km (the default), m or [mi_i].
/// Without a distance, `defaultKilometres` is used, as R4 leaves that to the server.
public struct NearSearchValue: Sendable, Hashable {
    public let latitude: Double
    public let longitude: Double
    public let kilometres: Double

    public static let defaultKilometres = 10.0
    /// Half the Earth's circumference: every point is nearer than this.
    public static let maximumKilometres = 20_038.0

    public static func parse(_ text: String) throws(SearchValueError) -> NearSearchValue {
        let parts = SearchEscaping.split(text, on: "|").map(SearchEscaping.unescape)
        guard parts.count >= 2, parts.count <= 4 else {
            throw SearchValueError("expected latitude|longitude|distance|units, not \(SearchValueError.quote(text))")
        }
        guard let latitude = Double(parts[0]), latitude.isFinite, (-90...90).contains(latitude) else {
            throw SearchValueError("the latitude \(SearchValueError.quote(parts[0])) is not a number from -90 to 90")
        }
        guard let longitude = Double(parts[1]), longitude.isFinite, (-180...180).contains(longitude) else {
            throw SearchValueError("the longitude \(SearchValueError.quote(parts[1])) is not a number from -180 to 180")
        }
        var distance = defaultKilometres
        if parts.count >= 3, !parts[2].isEmpty {
            guard let value = Double(parts[2]), value.isFinite, value >= 0 else {
                throw SearchValueError("the distance \(SearchValueError.quote(parts[2])) is not a number of at least 0")
            }
            let unit = parts.count == 4 && !parts[3].isEmpty ? parts[3] : "km"
            switch unit {
            case "km": distance = value
            case "m": distance = value / 1_000
            case "[mi_i]": distance = value * 1.609344
            default:
                throw SearchValueError("the unit \(SearchValueError.quote(unit)) is not one of km, m, [mi_i]")
            }
        }
        return NearSearchValue(latitude: latitude, longitude: longitude, kilometres: min(distance, maximumKilometres))
    }
}
