import FHIR

/// Runs a transaction or batch inside one engine transaction. A transaction is all or
/// nothing; a batch runs each entry in its own savepoint so one failure leaves the rest.
///
/// Entries arrive parsed and validated (before the write lock; an invalid entry of a batch
/// never gets an identity, so nothing can refer to it). Both kinds follow FHIR's order
/// (DELETE, POST, PUT and PATCH, GET and HEAD) and resolve references between entries:
/// deletes run first; then every other entry's identity is fixed (new ids, conditional
/// matches that see the deletes), `urn:uuid` and conditional references are rewritten, and
/// the writes and reads run. Batches get the same resolution because real exporters
/// (Synthea among them) send batches whose entries refer to each other; each entry whose
/// references were resolved says so in its `response.outcome`.
struct BundleProcessor<Transaction: StoreTransaction> {
    let writer: RecordWriter<Transaction>
    let validator: ResourceValidator
    let isTransaction: Bool
    let preference: ReturnPreference

    private var transaction: Transaction { writer.transaction }

    /// Per entry: the parsed request (or why it could not be parsed), the identity it writes
    /// to, and whether a conditional create found its resource already there.
    struct Plan {
        var request: BundleEntryRequest
        var key: ResourceKey?
        var existing = false
        var referencesResolved = 0
    }

    func run(_ parsed: [Result<BundleEntryRequest, RecordError>]) throws -> BundleResult {
        var plans: [Int: Plan] = [:]
        var failures: [Int: RecordError] = [:]
        for (index, entry) in parsed.enumerated() {
            switch entry {
            case .success(let request): plans[index] = Plan(request: request)
            case .failure(let error): failures[index] = error
            }
        }
        let order = 0..<parsed.count
        var results: [Int: WriteResult] = [:]
        // 1. Deletes run first, so that the conditions of the other entries see their effect.
        // 2. Identities of every other entry (new ids, conditional matches).
        var identities: [String: String] = [:]
        for phase in [[BundleEntryRequest.Method.delete], [.post, .put, .patch, .get, .head]] {
            for index in order {
                guard var plan = plans[index], phase.contains(plan.request.method) else { continue }
                do {
                    try guarded(plan.request) {
                        try identify(&plan)
                        if plan.request.method == .delete { results[index] = try execute(plan) }
                    }
                    plans[index] = plan
                    if let fullUrl = plan.request.fullUrl, let key = plan.key,
                       plan.request.method == .post || plan.request.method == .put {
                        identities[fullUrl] = key.description
                    }
                } catch let error as RecordError {
                    try fail(index, error, &plans, &failures)
                }
            }
        }
        if isTransaction { try checkOverlap(plans, order: order) }
        // 3. References between entries, and conditional references.
        var resolvedConditionals: [String: String] = [:]
        let rewriter = ReferenceRewriter(identities: identities) { reference in
            if let known = resolvedConditionals[reference] { return known }
            let resolved = try writer.resolveConditionalReference(reference)
            resolvedConditionals[reference] = resolved
            return resolved
        }
        for index in order {
            guard var plan = plans[index], var resource = plan.request.resource, plan.request.patch == nil else { continue }
            do {
                plan.referencesResolved = try rewriter.rewrite(&resource, location: "\(plan.request.location).resource")
                plan.request.resource = resource
                plans[index] = plan
            } catch let error as RecordError {
                try fail(index, error, &plans, &failures)
            }
        }
        // 4. The writes and reads, in FHIR's order.
        var reads: [Int: JSON] = [:]
        for phase in [[BundleEntryRequest.Method.post], [.put, .patch], [.get, .head]] {
            for index in order {
                guard let plan = plans[index], phase.contains(plan.request.method) else { continue }
                do {
                    try guarded(plan.request) {
                        if plan.request.method == .get || plan.request.method == .head {
                            reads[index] = try read(plan.request)
                        } else {
                            results[index] = try execute(plan)
                        }
                    }
                } catch let error as RecordError {
                    try fail(index, error, &plans, &failures)
                }
            }
        }
        return response(count: parsed.count, plans: plans, results: results, reads: reads, failures: failures)
    }

    /// A batch runs each step in a savepoint; a transaction lets the error end everything.
    private func guarded(_ request: BundleEntryRequest, _ body: () throws -> Void) throws {
        do {
            if isTransaction { try body() } else { try transaction.isolated(body) }
        } catch let error as RecordError {
            throw error.located(inEntry: request.location)
        }
    }

    private func fail(_ index: Int, _ error: RecordError, _ plans: inout [Int: Plan], _ failures: inout [Int: RecordError]) throws {
        if isTransaction { throw error }
        plans[index] = nil
        failures[index] = error
    }

    private func identify(_ plan: inout Plan) throws {
        let request = plan.request
        switch (request.method, request.target) {
        case (.post, .type(let type)):
            if let query = request.ifNoneExist {
                let ids = try transaction.matches(query)
                guard ids.count <= 1 else {
                    throw RecordError(.multipleMatches, .multipleMatches, "ifNoneExist matched more than one \(type)")
                }
                if let id = ids.first {
                    plan.key = ResourceKey(type, id)
                    plan.existing = true
                    return
                }
            }
            plan.key = ResourceKey(type, writer.environment.newID())
        case (.put, .instance(let key)), (.patch, .instance(let key)), (.delete, .instance(let key)):
            plan.key = key
        case (.put, .conditional(let query)):
            let ids = try transaction.matches(query)
            let ownID = request.resource?["id"]?.stringValue
            switch ids.count {
            case 0: plan.key = ResourceKey(query.type, ownID ?? writer.environment.newID())
            case 1:
                if let ownID, ownID != ids[0] {
                    throw RecordError(.invalid, .invalid, "the resource id differs from the resource the condition matched")
                }
                plan.key = ResourceKey(query.type, ids[0])
            default: throw RecordError(.multipleMatches, .multipleMatches, "the condition matched more than one \(query.type)")
            }
        case (.delete, .conditional(let query)):
            let ids = try transaction.matches(query)
            guard ids.count <= 1 else {
                throw RecordError(.multipleMatches, .multipleMatches, "the condition matched more than one \(query.type)")
            }
            plan.key = ids.first.map { ResourceKey(query.type, $0) }
        default:
            plan.key = nil
        }
    }

    private func checkOverlap(_ plans: [Int: Plan], order: Range<Int>) throws {
        var seen: [ResourceKey: Int] = [:]
        for index in order {
            guard let plan = plans[index], let key = plan.key, plan.request.method != .get, plan.request.method != .head else { continue }
            if let first = seen[key] {
                throw RecordError(.invalid, .invalid,
                                  "entries \(first) and \(index) both change \(key.type) with the same id; a transaction may change a resource once",
                                  at: [plan.request.location])
            }
            seen[key] = index
        }
    }

    private func execute(_ plan: Plan) throws -> WriteResult {
        let request = plan.request
        switch request.method {
        case .post:
            guard let key = plan.key, let resource = request.resource else { break }
            if plan.existing { return WriteResult(.existing, try transaction.version(key, nil)) }
            return try writer.create(resource, type: key.type, id: key.id)
        case .put:
            guard let key = plan.key, var resource = request.resource else { break }
            resource["id"] = .string(key.id)
            return try writer.update(resource, key: key, ifMatch: request.ifMatch)
        case .patch:
            guard let key = plan.key, let patch = request.patch else { break }
            return try writer.patch(key, with: patch, ifMatch: request.ifMatch, validator: validator)
        case .delete:
            guard let key = plan.key else { return WriteResult(.nothingToDelete, nil) }
            return try writer.delete(key, ifMatch: request.ifMatch)
        case .get, .head:
            break
        }
        throw RecordError(.invalid, .invalid, "the entry cannot be processed")
    }

    private func read(_ request: BundleEntryRequest) throws -> JSON {
        switch request.target {
        case .instance(let key), .version(let key, _):
            var version: Int?
            if case .version(_, let number) = request.target { version = number }
            guard let stored = try transaction.version(key, version) else {
                throw RecordError(.notFound, .notFound, "no \(key.type) with this id")
            }
            guard let body = stored.body else { throw RecordError(.gone, .deleted, "this \(key.type) has been deleted") }
            return try JSONParser().parse(body)
        case .conditional(let query):
            let ids = try transaction.matches(query, limit: HistoryQuery.maximumCount)
            var entries: [JSON] = []
            for id in ids {
                guard let body = try transaction.version(ResourceKey(query.type, id), nil)?.body else { continue }
                entries.append(["fullUrl": .string("\(query.type)/\(id)"), "resource": try JSONParser().parse(body),
                                "search": ["mode": "match"]])
            }
            return ["resourceType": "Bundle", "type": "searchset", "total": .number(String(entries.count)), "entry": .array(entries)]
        case .type:
            throw RecordError(.invalid, .notSupported, "a search in a bundle needs identifier or _id parameters")
        }
    }
}
