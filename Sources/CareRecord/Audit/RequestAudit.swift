import FHIR
import NIOConcurrencyHelpers

/// What one request's audit entry will say, gathered while the request runs: the HTTP layer
/// makes it before anything else, the token check says who is asking, routes note what they
/// read. It rides as a task-local (`current`) so that a write made for the request puts the
/// entry into its own transaction (`CareRecord.write`): the write and its record commit
/// together or not at all. A request that wrote nothing is recorded when it ends
/// (`CareRecord.audit`), before its answer is sent.
public final class RequestAudit: Sendable {
    @TaskLocal public static var current: RequestAudit?

    public let interaction: String
    public let action: String
    public let path: String
    public let query: String?
    public let address: String?

    private struct State {
        var agent = AuditAgent.unknown
        var entities: [AuditEntity] = []
        /// `entities` as a set: a bundle or a search page notes thousands.
        var noted: Set<AuditEntity> = []
        var detail: String?
        var recordedWithWrite = false
    }

    private let state: NIOLockedValueBox<State>

    public init(interaction: String, action: String, path: String, query: String?, address: String?,
                entities: [AuditEntity] = []) {
        self.interaction = interaction
        self.action = action
        self.path = path
        self.query = query
        self.address = address
        state = NIOLockedValueBox(State(entities: entities, noted: Set(entities)))
    }

    /// Who is asking, once their token is verified.
    public func identify(_ agent: AuditAgent) {
        state.withLockedValue { $0.agent = agent }
    }

    /// Resources (or patients) the request read; a second note of one already noted adds
    /// nothing, and a version read replaces a note of the resource without one (the URL's).
    public func note(_ entities: [AuditEntity]) {
        guard !entities.isEmpty else { return }
        state.withLockedValue { state in
            for entity in entities where state.noted.insert(entity).inserted {
                let unversioned = AuditEntity(entity.type, entity.id)
                if entity.version != nil, state.noted.contains(unversioned),
                   let index = state.entities.firstIndex(of: unversioned) {
                    state.entities[index] = entity
                } else {
                    state.entities.append(entity)
                }
            }
        }
    }

    /// Why the request was refused or failed.
    public func note(detail: String) {
        state.withLockedValue { $0.detail = detail }
    }

    /// Whether a write has already recorded this request in its own transaction.
    public var isRecordedWithWrite: Bool {
        state.withLockedValue { $0.recordedWithWrite }
    }

    /// The entry for the request as it ended with `status`, its notes and `written` (what a
    /// write touched) as its entities.
    public func entry(status: Int, at recorded: FHIRInstant = RecordEnvironment.wallClock(),
                      written: [AuditEntity] = []) -> AuditEntry {
        state.withLockedValue { state in
            var entities = state.entities
            var noted = state.noted
            for entity in written where noted.insert(entity).inserted { entities.append(entity) }
            return AuditEntry(recorded: recorded, action: action, interaction: interaction, status: status,
                              agent: state.agent, address: address, path: path, query: query, detail: state.detail,
                              entities: entities)
        }
    }

    /// Marks the request recorded by the write transaction it ran; if that transaction then
    /// fails, the request ends in an error and is recorded again, as a failure.
    func markRecordedWithWrite() {
        state.withLockedValue { $0.recordedWithWrite = true }
    }
}
