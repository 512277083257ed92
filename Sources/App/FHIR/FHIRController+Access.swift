import Access
import CareRecord
import FHIR
import Hummingbird

/// What the request's token allows, checked by each route before it reads or writes: the
/// SMART scopes by type and interaction, and for a token with patient scopes, that what is
/// asked for is in its patient's compartment. A refusal by scope is 403 and names what the
/// token lacks; a resource outside a patient token's compartment answers 404, as if it did
/// not exist.
extension FHIRController {
    func principal(_ context: Context) throws -> Principal {
        guard let principal = context.principal else {
            // Only the open routes run without one, and they never ask.
            throw FHIRError(.unauthorized, .login, TokenRejection.missing.description)
        }
        return principal
    }

    /// Refuses unless the token allows `interaction` on `type` (user or system scopes).
    func authorise(_ context: Context, _ interaction: Interaction, _ type: String) throws {
        try principal(context).require(interaction, type)
    }

    /// Refuses unless the token allows `interaction` on every type (`user/*.…`, `system/*.…`).
    func authoriseEveryType(_ context: Context, _ interaction: Interaction, for what: String) throws {
        try principal(context).requireEveryType(interaction, for: what)
    }

    /// A single write's conditional references (`Patient?identifier=...`) are searches too:
    /// the answer (one match, none, several) would tell what the referenced type holds.
    func authoriseReferences(_ context: Context, in resource: JSON) throws {
        for reference in ConditionalReferences.in(resource) {
            try authoriseCondition(context, names: reference.parameters.map(\.name), on: reference.type)
        }
    }

    /// A patch that may leave a conditional reference in the resource (`ConditionalReferences.mayBeWritten`)
    /// asks for search on every type: which type it searches is known only once it is applied.
    func authorisePatch(_ context: Context, _ patch: JSONPatch) throws {
        if ConditionalReferences.mayBeWritten(by: patch) {
            try authoriseEveryType(context, .search, for: "a patch that may write a conditional reference (a value that holds one, a copy or a move)")
        }
    }

    /// The patient a patient-scoped token is confined to, nil for user and system tokens.
    func confinedPatient(_ context: Context) throws -> String? {
        let principal = try principal(context)
        return principal.isPatientScoped ? principal.patient : nil
    }

    /// For a patient-scoped token: refuses unless its patient scopes allow `interaction` on
    /// `type`.
    func authoriseForPatient(_ context: Context, _ interaction: Interaction, _ type: String) throws {
        try principal(context).require(interaction, type, in: [.patient])
    }

    /// Refuses what patient-scoped tokens are not yet offered: writes, bundles and history
    /// (an older version may have been about someone else).
    func notForPatientTokens(_ context: Context, _ what: String) throws {
        if try confinedPatient(context) != nil {
            throw FHIRError(.forbidden, .forbidden, "a patient-scoped token may not \(what) on this server")
        }
    }

    /// Whether `key` is `patient` or in their compartment; answers 404 otherwise, as if the
    /// resource did not exist, so a patient token cannot tell another's ids from unused ones.
    func requireInCompartment(_ key: ResourceKey, of patient: String) async throws {
        if key.type == "Patient", key.id == patient { return }
        let request = SearchRequest(types: [key.type], parameters: [QueryParameter(name: "_id", value: key.id)],
                                    compartment: ResourceKey("Patient", patient))
        let found = try? await record.search(request).page.matches
        guard let found, !found.isEmpty else {
            throw FHIRError(.notFound, .notFound, "\(key.type)/\(key.id) is not known")
        }
    }

    /// Checks a read of one resource (read, vread).
    func authoriseRead(_ context: Context, _ key: ResourceKey) async throws {
        if let patient = try confinedPatient(context) {
            try authoriseForPatient(context, .read, key.type)
            try await requireInCompartment(key, of: patient)
        } else {
            try authorise(context, .read, key.type)
        }
    }

    /// Checks a parsed search before it runs: every type whose data it reads to decide its
    /// matches (its own, its chains' and `_has`'s) must be searchable under the token.
    func authoriseSearch(_ context: Context, _ query: SearchQuery) throws {
        guard let types = record.typesRead(by: query) else {
            return try authoriseEveryType(context, .search, for: "a search of every type")
        }
        for type in types.sorted() { try authorise(context, .search, type) }
    }

    /// The page without included resources the token may not read: `_include` and
    /// `_revinclude` never widen what a search shows.
    func readable(_ page: SearchPage, _ context: Context) throws -> SearchPage {
        let principal = try principal(context)
        let contexts: Set<Scope.Context> = principal.isPatientScoped ? [.patient] : [.user, .system]
        let included = page.included.filter { principal.may(.read, $0.key.type, in: contexts) }
        let readable = included.count == page.included.count ? page : page.replacing(included: included)
        noteRead(readable.matches + readable.included)
        return readable
    }

    /// Tells the request's audit entry which versions it hands out (`RequestAudit`).
    func noteRead(_ versions: [StoredVersion]) {
        RequestAudit.current?.note(versions.map { AuditEntity($0.key, version: $0.version) })
    }

    /// A conditional interaction's query (`If-None-Exist`, `PUT Type?...`) reads like a search:
    /// one that chains (`.`) or reverse-chains (`_has`) into other types needs every type.
    func authoriseCondition(_ context: Context, _ query: String, on type: String) throws {
        try authoriseCondition(context, names: QueryString.parse(query).map(\.name), on: type)
    }

    func authoriseCondition(_ context: Context, names: [String], on type: String) throws {
        try authorise(context, .search, type)
        if names.contains(where: { $0.contains(".") || $0.hasPrefix("_has") }) {
            try authoriseEveryType(context, .search, for: "a condition that chains into other types")
        }
    }
}
