/// What a write did, so the HTTP layer can answer 200, 201 or 204 truthfully.
public struct WriteResult: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        /// A new resource (201).
        case created
        /// A new version of an existing resource (200).
        case updated
        /// The update changed nothing, so no version was added (200, current version).
        case unchanged
        /// A conditional create found the resource already there (200, nothing written).
        case existing
        /// A deletion version was added (204).
        case deleted
        /// Nothing to delete: already deleted or no conditional match (204).
        case nothingToDelete
    }

    public let outcome: Outcome
    /// The version now current; nil only for `nothingToDelete` with no match.
    public let stored: StoredVersion?

    public init(_ outcome: Outcome, _ stored: StoredVersion?) {
        self.outcome = outcome
        self.stored = stored
    }
}
