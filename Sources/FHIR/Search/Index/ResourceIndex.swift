/// What a resource is found by: its search parameter entries, its full text and (a Location)
/// its position. It depends
/// on the resource alone, so a bulk load computes it outside the write lock and the writer
/// only stores it.
public struct ResourceIndex: Sendable, Hashable {
    public let entries: [SearchIndexEntry]
    public let text: FullText?
    public let position: GeoPosition?

    public init(entries: [SearchIndexEntry], text: FullText?, position: GeoPosition? = nil) {
        self.entries = entries
        self.text = text
        self.position = position
    }
}

extension SearchIndexer {
    /// The entries, full text and position of `resource` (a validated resource of `type`).
    public func index(_ resource: JSONObject, type: String) -> ResourceIndex {
        ResourceIndex(entries: entries(for: resource, type: type), text: FullText.of(resource),
                      position: GeoPosition.of(resource, type: type))
    }
}
