import FHIR

/// Which versions a history interaction lists, newest first.
public struct HistoryQuery: Sendable, Hashable {
    public enum Scope: Sendable, Hashable {
        case system
        case type(String)
        case instance(ResourceKey)
    }

    public static let defaultCount = 50
    public static let maximumCount = 1000

    public var scope: Scope
    /// Only versions written at or after this instant (`_since`).
    public var since: FHIRInstant?
    /// Page size (`_count`).
    public var count: Int
    /// Only versions before this change-log position: the paging cursor. New writes get
    /// higher positions, so pages stay stable while others write.
    public var before: Int64?

    public init(scope: Scope, since: FHIRInstant? = nil, count: Int = HistoryQuery.defaultCount, before: Int64? = nil) {
        self.scope = scope
        self.since = since
        self.count = Swift.max(0, Swift.min(count, HistoryQuery.maximumCount))
        self.before = before
    }
}

/// One page of history.
public struct HistoryPage: Sendable {
    public let versions: [StoredVersion]
    /// The cursor of the next (older) page, if there is one.
    public let next: Int64?
}
