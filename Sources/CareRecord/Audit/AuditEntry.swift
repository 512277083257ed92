import FHIR

/// One entry of the audit log: who asked for what, when, from where, and how it ended. It is
/// the FHIR AuditEvent's content kept as columns (`AuditEventResource` renders it), so that
/// recording one costs a row, not a resource with its index entries, and the hash chain
/// (`AuditChain`) covers a fixed encoding rather than a JSON text.
public struct AuditEntry: Sendable, Hashable {
    /// The position in the log, set when the entry is appended (0 before).
    public var sequence: Int64
    public var recorded: FHIRInstant
    /// FHIR's AuditEvent.action: C, R, U, D or E (execute: a search, an operation, a bundle).
    public var action: String
    /// What was asked: a FHIR interaction (`read`, `search-type`, `create`...), an operation
    /// (`$everything`), or the access layer's own (`break-glass`).
    public var interaction: String
    /// The HTTP status answered (0 when not over HTTP).
    public var status: Int
    public var agent: AuditAgent
    /// The client's address, as the server saw it.
    public var address: String?
    /// The request's path and query, as sent.
    public var path: String
    public var query: String?
    /// Why it failed, or the reason given for breaking the glass.
    public var detail: String?
    /// The resources read or written, and the patients the request named.
    public var entities: [AuditEntity]

    public init(sequence: Int64 = 0, recorded: FHIRInstant, action: String, interaction: String, status: Int,
                agent: AuditAgent, address: String? = nil, path: String, query: String? = nil, detail: String? = nil,
                entities: [AuditEntity] = []) {
        self.sequence = sequence
        self.recorded = recorded
        self.action = action
        self.interaction = interaction
        self.status = status
        self.agent = agent
        self.address = address
        self.path = path
        self.query = query
        self.detail = detail
        self.entities = entities
    }

    /// FHIR's AuditEvent.outcome: 0 success, 4 a refusal or a request in error (4xx), 8 the
    /// server's failure (5xx).
    public var outcome: Int {
        switch status {
        case ..<400: 0
        case 400..<500: 4
        default: 8
        }
    }
}

/// Who acted: the token's user, organisation and role, or nothing known (a refused token).
public struct AuditAgent: Sendable, Hashable {
    public var user: String?
    public var organisation: String?
    public var role: String?
    /// The patient a patient-scoped token speaks for.
    public var patient: String?

    public init(user: String?, organisation: String? = nil, role: String? = nil, patient: String? = nil) {
        self.user = user
        self.organisation = organisation
        self.role = role
        self.patient = patient
    }

    public static let unknown = AuditAgent(user: nil)
}

/// A resource an entry touched (with the version read or written, when known), or a patient
/// the request named (a Patient entity).
public struct AuditEntity: Sendable, Hashable {
    public let type: String
    public let id: String
    public let version: Int?

    public init(_ type: String, _ id: String, version: Int? = nil) {
        self.type = type
        self.id = id
        self.version = version
    }

    public init(_ key: ResourceKey, version: Int? = nil) {
        self.init(key.type, key.id, version: version)
    }

    public var reference: String {
        version.map { "\(type)/\(id)/_history/\($0)" } ?? "\(type)/\(id)"
    }
}
