import Foundation

/// Who is asking, as their verified token says: the user, the organisation they act for, their
/// role, the scopes they were granted and, for the person themselves or their carer, the
/// patient whose record the token is for. A class: it rides in every request's context,
/// which is copied from middleware to route, and one reference copies cheaper than its fields.
public final class Principal: Sendable {
    public let user: String
    /// The organisation's ODS code, for staff.
    public let organisation: String?
    public let role: Role
    public let scopes: [Scope]
    /// The patient id of a `patient/` scope's context.
    public let patient: String?
    /// The token's id (`jti`), so an audit entry can name the token used.
    public let tokenID: String?
    public let expires: Date
    /// The role's row of the access policy.
    public let policy: RolePolicy
    /// The policy's version, for refusals to name.
    public let policyVersion: String

    public init(user: String, organisation: String?, role: Role, scopes: [Scope], patient: String?,
                tokenID: String?, expires: Date, policy: AccessPolicy) {
        self.user = user
        self.organisation = organisation
        self.role = role
        self.scopes = scopes
        self.patient = patient
        self.tokenID = tokenID
        self.expires = expires
        self.policy = policy.policy(for: role)
        policyVersion = policy.version
    }

    /// Whether the role's policy and some scope of `contexts` both allow `interaction` on `type`.
    public func may(_ interaction: Interaction, _ type: String, in contexts: Set<Scope.Context> = [.user, .system]) -> Bool {
        policy.allows(interaction, type) && scopesAllow(interaction, type, in: contexts)
    }

    /// Whether some scope of `contexts` allows `interaction` on `type`, whatever the role.
    public func scopesAllow(_ interaction: Interaction, _ type: String, in contexts: Set<Scope.Context> = [.user, .system]) -> Bool {
        scopes.contains { contexts.contains($0.context) && $0.allows(interaction, on: type) }
    }

    /// Whether the role's policy and some scope of `contexts` both allow `interaction` on
    /// every type (`*`).
    public func mayOnEveryType(_ interaction: Interaction, in contexts: Set<Scope.Context> = [.user, .system]) -> Bool {
        policy.allowsEveryType(interaction) && scopesAllowEveryType(interaction, in: contexts)
    }

    /// Whether some scope of `contexts` allows `interaction` on every type, whatever the role.
    public func scopesAllowEveryType(_ interaction: Interaction, in contexts: Set<Scope.Context> = [.user, .system]) -> Bool {
        scopes.contains { contexts.contains($0.context) && $0.type == nil && $0.interactions.contains(interaction) }
    }

    /// The scopes granted, for a refusal to name: "user/Patient.rs user/Observation.r".
    public var grantedScopes: String {
        scopes.isEmpty ? "no resource scopes" : scopes.map(\.description).joined(separator: " ")
    }

    /// Whether the token's access is through patient scopes only: everything it reads must
    /// be in `patient`'s compartment.
    public var isPatientScoped: Bool {
        !scopes.isEmpty && scopes.allSatisfy { $0.context == .patient }
    }
}
