import Access
import CareRecord
import FHIR

/// Checks every entry of a transaction or batch against the token before any runs: one
/// entry the token does not allow refuses the whole Bundle (403, naming the entry), for a
/// batch too, so that nothing is done on behalf of a request that overreached.
enum BundleAccess {
    static func authorise(_ bundle: JSON, _ principal: Principal) throws {
        for entry in BundleEntryAccess.of(bundle) {
            let location = "Bundle.entry[\(entry.index)]"
            func require(_ interaction: Interaction, _ type: String) throws {
                try principal.require(interaction, type, at: location)
            }
            func requireEveryType(_ interaction: Interaction, _ why: String) throws {
                try principal.requireEveryType(interaction, for: why, at: location)
            }
            switch entry.action {
            case .create: try require(.create, entry.type)
            case .read: try require(.read, entry.type)
            case .search: try require(.search, entry.type)
            case .update:
                // A PUT creates what does not exist; which it will do is not known until it runs.
                try require(.update, entry.type)
                try require(.create, entry.type)
            case .patch:
                // A patch answers with the patched resource, and its `test` operations
                // say what the resource holds: it reads as well as writes.
                try require(.update, entry.type)
                try require(.read, entry.type)
            case .delete: try require(.delete, entry.type)
            }
            if entry.condition != nil { try require(.search, entry.type) }
            if entry.searchesBeyondItsType {
                try requireEveryType(.search, "a search with chains, _has or includes")
                try requireEveryType(.read, "a search with chains, _has or includes")
            }
            if entry.patchMayWriteConditionalReference {
                try requireEveryType(.search, "a patch that may write a conditional reference (a value that holds one, a copy or a move)")
            }
            for reference in entry.conditionalReferences {
                try require(.search, reference.type)
                if BundleEntryAccess.reachesOtherTypes(reference) {
                    try requireEveryType(.search, "a conditional reference that chains")
                }
            }
        }
    }
}
