/// What a bundle's passes share, entry by entry: the identity each entry writes to, which
/// entries failed, the `fullUrl`s and what they became, and (for transactions) which entry
/// claimed each resource. In memory for a request body; in temporary SQL tables for a file,
/// so that a Bundle of any size is processed in bounded memory.
protocol BundlePlanStore: AnyObject {
    func markFailed(_ index: Int) throws
    func isFailed(_ index: Int) throws -> Bool
    func setPlan(_ index: Int, key: ResourceKey?, existing: Bool) throws
    /// The key and conditional-create flag fixed for entry `index`, if it was planned.
    func plan(_ index: Int) throws -> (key: ResourceKey?, existing: Bool)?
    func remember(fullUrl: String, as reference: String) throws
    func identity(for fullUrl: String) throws -> String?
    /// Records that entry `index` changes `key`; returns the entry that claimed it first, if another did.
    func claim(_ key: ResourceKey, by index: Int) throws -> Int?
}

/// The plan store for bundles held in memory.
final class MemoryBundlePlanStore: BundlePlanStore {
    private var failed = Set<Int>()
    private var plans: [Int: (key: ResourceKey?, existing: Bool)] = [:]
    private var identities: [String: String] = [:]
    private var claims: [ResourceKey: Int] = [:]

    func markFailed(_ index: Int) { failed.insert(index) }
    func isFailed(_ index: Int) -> Bool { failed.contains(index) }
    func setPlan(_ index: Int, key: ResourceKey?, existing: Bool) { plans[index] = (key, existing) }
    func plan(_ index: Int) -> (key: ResourceKey?, existing: Bool)? { plans[index] }
    func remember(fullUrl: String, as reference: String) { identities[fullUrl] = reference }
    func identity(for fullUrl: String) -> String? { identities[fullUrl] }

    func claim(_ key: ResourceKey, by index: Int) -> Int? {
        if let first = claims[key] { return first }
        claims[key] = index
        return nil
    }
}
