import Access
import FHIR

/// The scope checks every route and Bundle entry makes, each refusing with 403 and naming
/// what the token lacks and what it grants (at `location`, a Bundle entry, when given).
extension Principal {
    /// Refuses unless a scope of `contexts` allows `interaction` on `type`.
    func require(_ interaction: Interaction, _ type: String, in contexts: Set<Scope.Context> = [.user, .system],
                 at location: String? = nil) throws {
        guard may(interaction, type, in: contexts) else {
            if scopesAllow(interaction, type, in: contexts) {
                throw roleRefusal("\(interaction.word) \(type)", at: location)
            }
            throw refusal("\(interaction.word) \(type)", at: location)
        }
    }

    /// Refuses unless a scope of `contexts` allows `interaction` on every type, as `what` needs.
    func requireEveryType(_ interaction: Interaction, for what: String, in contexts: Set<Scope.Context> = [.user, .system],
                          at location: String? = nil) throws {
        guard mayOnEveryType(interaction, in: contexts) else {
            if scopesAllowEveryType(interaction, in: contexts) {
                throw roleRefusal("\(interaction.word) every type of resource, as \(what) needs", at: location)
            }
            throw refusal("\(interaction.word) every type of resource, as \(what) needs", at: location)
        }
    }

    /// The token's scopes would allow it; the role's row of the access policy does not.
    func roleRefusal(_ what: String, at location: String? = nil) -> FHIRError {
        FHIRError(.forbidden, .forbidden, "the \(role.code) role may not \(what) (access policy \(policyVersion))",
                  at: location.map { [$0] } ?? [])
    }

    func refusal(_ what: String, at location: String? = nil) -> FHIRError {
        FHIRError(.forbidden, .forbidden, "this token does not allow you to \(what) (it grants: \(grantedScopes))",
                  at: location.map { [$0] } ?? [])
    }
}
