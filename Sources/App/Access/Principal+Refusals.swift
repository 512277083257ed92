import Access
import FHIR

/// The checks every route and Bundle entry makes, each refusing with 403 and naming what
/// stood in the way (at `location`, a Bundle entry, when given): the token's scopes, naming
/// what they grant, or, where the scopes would allow it, the role's row of the access policy.
extension Principal {
    /// Refuses unless the role's row and a scope of `contexts` allow `interaction` on `type`.
    func require(_ interaction: Interaction, _ type: String, in contexts: Set<Scope.Context> = [.user, .system],
                 at location: String? = nil) throws {
        guard !may(interaction, type, in: contexts) else { return }
        throw refusal("\(interaction.word) \(type)", byRole: scopesAllow(interaction, type, in: contexts), at: location)
    }

    /// Refuses unless the role's row and a scope of `contexts` allow `interaction` on every
    /// type, as `what` needs.
    func requireEveryType(_ interaction: Interaction, for what: String, in contexts: Set<Scope.Context> = [.user, .system],
                          at location: String? = nil) throws {
        guard !mayOnEveryType(interaction, in: contexts) else { return }
        throw refusal("\(interaction.word) every type of resource, as \(what) needs",
                      byRole: scopesAllowEveryType(interaction, in: contexts), at: location)
    }

    /// The refusal of `what`: by the role's row when the scopes would allow it, by the scopes
    /// otherwise.
    func refusal(_ what: String, byRole: Bool = false, at location: String? = nil) -> FHIRError {
        let message = byRole
            ? "the \(role.code) role may not \(what) (access policy \(policyVersion))"
            : "this token does not allow you to \(what) (it grants: \(grantedScopes))"
        return FHIRError(.forbidden, .forbidden, message, at: location.map { [$0] } ?? [])
    }
}
