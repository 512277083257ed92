import FHIR
import Foundation
import NIOConcurrencyHelpers

/// Who each viewer is in the record (`VisibilityFilter.identities`: their Practitioners,
/// Organizations and standing teams), kept for a few seconds across requests: reading it
/// is three statements, which a GP's every read by id paid for (9,400 reads a second against
/// 17,000 for a system). What it holds changes when a Practitioner or Organization record or a
/// standing team's membership does, rarely, and such a change reaches the viewer's sight
/// within `lifetime`; the relationships themselves (care teams about the person, episodes,
/// referrals, tasks, grants) are read afresh by every statement.
final class ViewerIdentities: Sendable {
    static let lifetime: TimeInterval = 5
    /// Entries kept at most; past it the whole map is dropped (a burst of many users).
    static let capacity = 10_000

    private struct Key: Hashable {
        let user: String
        let organisation: String?
        let relationships: UUID
    }

    private let known = NIOLockedValueBox<[Key: (identities: [String], until: Date)]>([:])

    func identities(of viewer: RecordViewer, now: Date = Date()) -> [String]? {
        let key = Key(user: viewer.user, organisation: viewer.organisation, relationships: viewer.relationships.fingerprint)
        return known.withLockedValue { known in
            guard let found = known[key], found.until > now else { return nil }
            return found.identities
        }
    }

    func remember(_ identities: [String], of viewer: RecordViewer, now: Date = Date()) {
        let key = Key(user: viewer.user, organisation: viewer.organisation, relationships: viewer.relationships.fingerprint)
        known.withLockedValue { known in
            if known.count >= Self.capacity { known.removeAll(keepingCapacity: true) }
            known[key] = (identities, now.addingTimeInterval(Self.lifetime))
        }
    }
}
