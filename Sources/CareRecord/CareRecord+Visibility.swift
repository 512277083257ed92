import FHIR
import Storage

/// The record as the request's viewer (`RecordViewer.current`) may see it, for what is not a
/// search: reads by id, history, `$everything` and writes. A resource the viewer may not see
/// answers as one that does not exist (404), so that its id tells them nothing.
extension CareRecord {
    /// The filter of the request's viewer, nil when there is none.
    func currentVisibility() -> VisibilityFilter? {
        RecordViewer.current.map(visibility(of:))
    }

    /// `viewer`'s filter on this store, now.
    func visibility(of viewer: RecordViewer) -> VisibilityFilter {
        VisibilityFilter(viewer: viewer, context: search, now: RecordEnvironment.wallClock().millisecondsSince1970)
    }

    /// Reads who the request's viewer is in the record (`RecordViewer.identities`), unless
    /// known for this request or, for a few seconds, for this viewer (`ViewerIdentities`):
    /// every entry point that filters calls it first.
    func identify() async throws {
        guard let viewer = RecordViewer.current, !viewer.isIdentified else { return }
        try await readBeside { connection in try self.identify(viewer, on: connection) }
    }

    /// `identify` on a connection already at hand (a read by id on SQLite).
    func identify(_ viewer: RecordViewer, on connection: any SQLConnection) throws {
        guard !viewer.isIdentified else { return }
        if let known = viewerIdentities.identities(of: viewer) { return viewer.identified(as: known) }
        let identities = try VisibilityFilter.identities(of: viewer, context: search, on: connection)
        viewerIdentities.remember(identities, of: viewer)
        viewer.identified(as: identities)
    }

    /// Throws "not found" unless the request's viewer, if any, may see `key`.
    func requireVisible(_ key: ResourceKey) async throws {
        try await identify()
        guard let filter = currentVisibility() else { return }
        let seen = try await readBeside { connection in try Self.visible([key], filter, on: connection) }
        guard seen.contains(key) else { throw RecordError(.notFound, .notFound, "no \(key.type) with this id") }
    }

    /// Which of `keys` the request's viewer may see: all of them when there is no viewer.
    public func visible(_ keys: [ResourceKey]) async throws -> Set<ResourceKey> {
        try await identify()
        guard let filter = currentVisibility() else { return Set(keys) }
        return try await readBeside { connection in try Self.visible(keys, filter, on: connection) }
    }

    /// Which of `keys` `filter`'s viewer may see, in one statement per type (and per
    /// thousand ids) on `connection`.
    static func visible(_ keys: [ResourceKey], _ filter: VisibilityFilter, on connection: any SQLConnection) throws -> Set<ResourceKey> {
        var seen: Set<ResourceKey> = []
        for (type, ofType) in Dictionary(grouping: keys, by: \.type) {
            let ids = Array(Set(ofType.map(\.id)))
            for start in stride(from: 0, to: ids.count, by: 1_000) {
                let chunk = ids[start..<min(start + 1_000, ids.count)]
                var arguments: [SQLValue] = [type.sqlValue] + chunk.map(\.sqlValue)
                let test = filter.condition("t", &arguments)
                let rows = try connection.fetchAll(
                    "SELECT t.id FROM resource t WHERE t.type = ? AND t.id \(RidSet.inList(chunk.count)) AND \(test)", arguments)
                for row in rows { if let id = row[0].string { seen.insert(ResourceKey(type, id)) } }
            }
        }
        return seen
    }

    /// `page` without what the request's viewer may not see (`$everything`, whose statements
    /// are the patient's compartment, not a search).
    func visibleOnly(_ page: SearchPage) async throws -> SearchPage {
        guard currentVisibility() != nil else { return page }
        let seen = try await visible(page.matches.map(\.key) + page.included.map(\.key))
        let matches = page.matches.filter { seen.contains($0.key) }
        let included = page.included.filter { seen.contains($0.key) }
        // A total counted before the filter would count what was left out.
        let dropped = matches.count < page.matches.count || included.count < page.included.count
        return SearchPage(matches: matches, included: included, total: dropped ? nil : page.total, next: page.next)
    }
}
