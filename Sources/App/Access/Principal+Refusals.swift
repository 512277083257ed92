import Access
import FHIR

/// The scope checks every route and Bundle entry makes, each refusing with 403 and naming
/// what the token lacks and what it grants (at `location`, a Bundle entry, when given).
extension Principal {
    /// Refuses unless a scope of `contexts` allows `interaction` on `type`.
    func require(_ interaction: Interaction, _ type: String, in contexts: Set<Scope.Context> = [.user, .system],
                 at location: String? = nil) throws {
        guard may(interaction, type, in: contexts) else { throw refusal("\(interaction.word) \(type)", at: location) }
    }

    /// Refuses unless a scope of `contexts` allows `interaction` on every type, as `what` needs.
    func requireEveryType(_ interaction: Interaction, for what: String, in contexts: Set<Scope.Context> = [.user, .system],
                          at location: String? = nil) throws {
        guard mayOnEveryType(interaction, in: contexts) else {
            throw refusal("\(interaction.word) every type of resource, as \(what) needs", at: location)
        }
    }

    func refusal(_ what: String, at location: String? = nil) -> FHIRError {
        FHIRError(.forbidden, .forbidden, "this token does not allow you to \(what) (it grants: \(grantedScopes))",
                  at: location.map { [$0] } ?? [])
    }
}
