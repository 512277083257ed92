/// What a resource is found by: its search parameter entries and its full text. It depends
/// on the resource alone, so a bulk load computes it outside the write lock and the writer
/// only stores it.
public struct ResourceIndex: Sendable, Hashable {
    public let entries: [SearchIndexEntry]
    public let text: FullText?

    public init(entries: [SearchIndexEntry], text: FullText?) {
        self.entries = entries
        self.text = text
    }
}

extension SearchIndexer {
    /// The entries and the full text of `resource` (a validated resource of `type`).
    public func index(_ resource: JSONObject, type: String) -> ResourceIndex {
        ResourceIndex(entries: entries(for: resource, type: type), text: FullText.of(resource))
    }
}
