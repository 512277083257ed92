/// Where a Location is (`Location.position`, WGS84 decimal degrees), for `near`.
public struct GeoPosition: Sendable, Hashable {
    public let latitude: Double
    public let longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }

    /// The position of a Location resource, if it has a valid one.
    public static func of(_ resource: JSONObject, type: String) -> GeoPosition? {
        guard type == "Location", case .object(let position)? = resource["position"],
              case .number(let latitudeText)? = position["latitude"], case .number(let longitudeText)? = position["longitude"],
              let latitude = Double(latitudeText), let longitude = Double(longitudeText),
              (-90...90).contains(latitude), (-180...180).contains(longitude) else { return nil }
        return GeoPosition(latitude: latitude, longitude: longitude)
    }
}
