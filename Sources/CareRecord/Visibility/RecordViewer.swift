import FHIR
import NIOConcurrencyHelpers

/// A member of staff whose sight of the record is kept to the people they have a care
/// relationship with (`CareRelationships`), or a break-glass grant for. The HTTP layer sets
/// it for the whole of a request (`current`), so that everything the request reaches through
/// `CareRecord` is filtered in the SQL that reads it: searches (their pages, counts,
/// includes, chains and `_has`), conditional interactions, bundle entries, reads, history,
/// `$everything` and writes. A request without one sees the whole record, as systems and
/// roles the policy does not hold to relationships do.
///
/// One per request: who the viewer is in the record (`identities`) is read when the request
/// first reaches the record (`CareRecord.identify`, or taken from `ViewerIdentities` if read
/// in the last few seconds), and kept for the rest of it.
public final class RecordViewer: Sendable {
    @TaskLocal public static var current: RecordViewer?

    /// The user id (the token's `sub`), matched against Practitioners' identifiers.
    public let user: String
    /// The organisation's ODS code, matched against Organizations' identifiers.
    public let organisation: String?
    public let relationships: CareRelationships
    private let found = NIOLockedValueBox<[String]?>(nil)

    public init(user: String, organisation: String?, relationships: CareRelationships) {
        self.user = user
        self.organisation = organisation
        self.relationships = relationships
    }

    /// The viewer's Practitioners, Organizations and standing teams as `Type/id`; empty
    /// until identified (then only grants let them see anyone).
    var identities: [String] { found.withLockedValue { $0 ?? [] } }

    var isIdentified: Bool { found.withLockedValue { $0 != nil } }

    func identified(as identities: [String]) {
        found.withLockedValue { $0 = identities }
    }
}
