import FHIR
import Foundation

/// What each role may read and write, as a table in data (`StandardAccessPolicy`, or a file
/// given to `joinedup serve --policy`): a new role's rights, or a change to one, is an edit of
/// the table, not of code. A request is allowed only where both the token's scopes and its
/// role's row allow it (`Principal.may`): scopes say what the application was granted, the
/// policy what the person's job lets them do.
public struct AccessPolicy: Sendable {
    /// The table's own version, named in refusals so a person can see which rules applied.
    public let version: String
    private let roles: [String: RolePolicy]

    /// The row of `role`; a role the table does not name may do nothing.
    public func policy(for role: Role) -> RolePolicy {
        roles[role.code] ?? .nothing
    }

    /// Parses and checks a table: every role of `Role.all` has a row, no row names an unknown
    /// role, every type is an R4 resource type or `*`.
    public init(json: Data) throws(AccessPolicyError) {
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: json) } catch {
            throw AccessPolicyError("the policy is not JSON of the expected shape ({\"version\", \"roles\": {role: {\"read\", \"write\"}}}): \(error)")
        }
        guard !file.version.isEmpty else { throw AccessPolicyError("the policy needs a version") }
        var roles: [String: RolePolicy] = [:]
        for (code, row) in file.roles {
            guard Role.named(code) != nil else { throw AccessPolicyError("'\(code.prefix(40))' is not a known role") }
            roles[code] = RolePolicy(read: try Self.types(row.read, of: code, "read"), write: try Self.types(row.write, of: code, "write"),
                                     readsWholeAuditLog: row.readsWholeAuditLog ?? false, rateLimited: row.rateLimited ?? true,
                                     heldToRelationships: row.heldToRelationships ?? false)
        }
        let missing = Role.all.map(\.code).filter { roles[$0] == nil }
        guard missing.isEmpty else { throw AccessPolicyError("the policy has no row for \(missing.joined(separator: ", "))") }
        version = file.version
        self.roles = roles
    }

    /// The table in the file at `path`.
    public static func load(from path: String) throws(AccessPolicyError) -> AccessPolicy {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw AccessPolicyError("cannot read the policy file \(path)")
        }
        return try AccessPolicy(json: data)
    }

    /// The standard table's JSON, to start a deployment's own from.
    public static var standardJSON: String { StandardAccessPolicy.json }

    /// The table JoinedUp ships with.
    public static let standard: AccessPolicy = {
        do { return try AccessPolicy(json: Data(StandardAccessPolicy.json.utf8)) } catch {
            fatalError("the standard access policy does not parse: \(error)")
        }
    }()

    private static func types(_ names: [String], of role: String, _ column: String) throws(AccessPolicyError) -> RolePolicy.Types {
        if names == ["*"] { return .all }
        for name in names where !FHIRDefinitions.r4.isResourceType(name) {
            throw AccessPolicyError("the \(role) role's \(column) list names '\(name.prefix(64))', which is not an R4 resource type")
        }
        return .some(Set(names))
    }

    private struct File: Decodable {
        let version: String
        let roles: [String: Row]
    }

    private struct Row: Decodable {
        let read: [String]
        let write: [String]
        let readsWholeAuditLog: Bool?
        let rateLimited: Bool?
        let heldToRelationships: Bool?
    }
}

/// One role's row of the policy.
public struct RolePolicy: Sendable {
    public enum Types: Sendable {
        case all
        case some(Set<String>)

        func contains(_ type: String) -> Bool {
            switch self {
            case .all: true
            case .some(let types): types.contains(type)
            }
        }
    }

    /// The types the role may read and search.
    public let read: Types
    /// The types it may create, update and delete.
    public let write: Types
    /// Whether it reads the audit log about anyone (a person always reads their own).
    public let readsWholeAuditLog: Bool
    /// Whether its users are held to the per-user request rate (`serve --user-rate`); systems
    /// (integrations, imports) are not, their volume being their job.
    public let rateLimited: Bool
    /// Whether its users see a person's record only while they have a care relationship with
    /// the person (a care team, an open episode, referral or task, registration) or have
    /// broken the glass: clinical and care staff. The relationships themselves are the care
    /// record's table (`CareRelationships`).
    public let heldToRelationships: Bool

    public init(read: Types, write: Types, readsWholeAuditLog: Bool = false, rateLimited: Bool = true,
                heldToRelationships: Bool = false) {
        self.read = read
        self.write = write
        self.readsWholeAuditLog = readsWholeAuditLog
        self.rateLimited = rateLimited
        self.heldToRelationships = heldToRelationships
    }

    static let nothing = RolePolicy(read: .some([]), write: .some([]))

    public func allows(_ interaction: Interaction, _ type: String) -> Bool {
        switch interaction {
        case .read, .search: read.contains(type)
        case .create, .update, .delete: write.contains(type)
        }
    }

    public func allowsEveryType(_ interaction: Interaction) -> Bool {
        switch interaction {
        case .read, .search: if case .all = read { true } else { false }
        case .create, .update, .delete: if case .all = write { true } else { false }
        }
    }
}

public struct AccessPolicyError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
