import FHIR

/// What the record's write logic needs from an engine, inside one SQL transaction. The
/// logic (create, update, bundles) is written once against this; each engine implements it.
/// Calls are synchronous because they run inside the engine's transaction closure.
protocol StoreTransaction {
    /// The current version of `key`, deleted or not; nil if it never existed.
    func current(_ key: ResourceKey) throws -> CurrentVersion?
    /// One stored version, or the current one when `version` is nil.
    func version(_ key: ResourceKey, _ version: Int?) throws -> StoredVersion?
    /// Appends a version, makes it current, and replaces its search index rows with those of
    /// `resource` (the stamped body as an object; nil for a deletion, which has none).
    /// `indexed` is what the index gets from `resource` when already computed (stamping sets
    /// only the id and `meta`, which nothing indexed reads); nil computes it here.
    func append(_ key: ResourceKey, version: Int, lastUpdated: FHIRInstant, method: WriteMethod, created: Bool,
                resource: JSONObject?, body: [UInt8]?, indexed: ResourceIndex?) throws -> Int64
    /// Ids of live resources matching the search `query`, at most `limit` of them (two are
    /// enough to tell "one" from "several"). A search that is not valid throws `RecordError`.
    func matches(_ query: ConditionalQuery, limit: Int) throws -> [String]
    /// Which of `keys` `filter`'s viewer may see, as the transaction has left them.
    func visible(_ keys: [ResourceKey], _ filter: VisibilityFilter) throws -> Set<ResourceKey>
    /// Runs `body` so that its writes are undone if it throws, leaving earlier work intact.
    func isolated<T>(_ body: () throws -> T) throws -> T
}

/// The pointer from a logical resource to its current version.
struct CurrentVersion: Sendable, Hashable {
    let version: Int
    let lastUpdated: FHIRInstant
    let deleted: Bool
}

extension StoreTransaction {
    /// Enough matches to tell none, one and several apart.
    func matches(_ query: ConditionalQuery) throws -> [String] {
        try matches(query, limit: 2)
    }
}
