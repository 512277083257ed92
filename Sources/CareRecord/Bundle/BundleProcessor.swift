import FHIR

/// Runs a transaction or batch inside one engine transaction. A transaction is all or
/// nothing; a batch runs each entry in its own savepoint so one failure leaves the rest.
///
/// It reads its entries in passes (`BundleEntrySource`), so a bundle file of any size is
/// processed holding a small plan per entry rather than the resources:
/// 1. parse and validate every entry, keeping its request without the resource (an invalid
///    batch entry never gets an identity, so nothing can refer to it);
/// 2. run the DELETEs, then fix every other entry's identity (new ids, conditional matches
///    that see the deletes);
/// 3. read the entries again for POST, then PUT and PATCH, then GET and HEAD (FHIR's order),
///    rewriting `urn:uuid` and conditional references just before each write.
/// Batches get the same reference resolution because real exporters (Synthea among them)
/// send batches whose entries refer to each other; each entry whose references were resolved
/// says so. Every entry's outcome is reported once, as soon as it is known.
struct BundleProcessor<Transaction: StoreTransaction> {
    let writer: RecordWriter<Transaction>
    let validator: ResourceValidator
    let isTransaction: Bool

    private var transaction: Transaction { writer.transaction }

    /// Per entry, between passes: the request without its content, the identity it writes
    /// to, and whether a conditional create found its resource already there.
    struct Plan {
        var request: BundleEntryRequest
        var key: ResourceKey?
        var existing = false
    }

    func run(_ source: some BundleEntrySource, report: (BundleEntryReport) -> Void) throws {
        // 1. Parse and validate; keep the plans.
        var plans: [Plan?] = []
        try source.forEachEntry(validate: true) { index, parsed in
            switch parsed {
            case .success(let request):
                plans.append(Plan(request: request.withoutContent))
            case .failure(let error):
                if isTransaction { throw error }
                plans.append(nil)
                report(BundleEntryReport(index: index, method: nil, resourceType: nil, outcome: .failed(error), referencesResolved: 0))
            }
        }
        // 2. Deletes first, so that the conditions of the other entries see their effect;
        //    then the identities of every other entry.
        var identities: [String: String] = [:]
        for phase in [[BundleEntryRequest.Method.delete], [.post, .put, .patch, .get, .head]] {
            for index in plans.indices {
                guard var plan = plans[index], phase.contains(plan.request.method) else { continue }
                do {
                    var outcome: WriteResult?
                    try guarded(plan.request) {
                        try identify(&plan)
                        if plan.request.method == .delete { outcome = try execute(plan, plan.request) }
                    }
                    plans[index] = plan
                    if let outcome { report(entryReport(plan, .written(outcome), resolved: 0)) }
                    if let fullUrl = plan.request.fullUrl, let key = plan.key,
                       plan.request.method == .post || plan.request.method == .put {
                        identities[fullUrl] = key.description
                    }
                } catch let error as RecordError {
                    if isTransaction { throw error }
                    plans[index] = nil
                    report(entryReport(plan, .failed(error), resolved: 0))
                }
            }
        }
        if isTransaction { try checkOverlap(plans) }
        // 3. The writes and reads, in FHIR's order, each entry read again for its content.
        var resolvedConditionals: [String: String] = [:]
        let rewriter = ReferenceRewriter(identities: identities) { reference in
            if let known = resolvedConditionals[reference] { return known }
            let resolved = try writer.resolveConditionalReference(reference)
            resolvedConditionals[reference] = resolved
            return resolved
        }
        for phase in [[BundleEntryRequest.Method.post], [.put, .patch], [.get, .head]] {
            guard plans.contains(where: { $0.map { phase.contains($0.request.method) } ?? false }) else { continue }
            try source.forEachEntry(validate: false) { index, parsed in
                guard index < plans.count, let plan = plans[index], phase.contains(plan.request.method),
                      case .success(var request) = parsed else { return }
                var resolved = 0
                do {
                    var outcome: BundleEntryReport.Outcome?
                    try guarded(request) {
                        if var resource = request.resource, request.patch == nil {
                            resolved = try rewriter.rewrite(&resource, location: "\(request.location).resource")
                            request.resource = resource
                        }
                        outcome = request.method == .get || request.method == .head
                            ? .read(try read(request)) : .written(try execute(plan, request))
                    }
                    if let outcome { report(entryReport(plan, outcome, resolved: resolved)) }
                } catch let error as RecordError {
                    if isTransaction { throw error }
                    report(entryReport(plan, .failed(error), resolved: 0))
                }
            }
        }
    }

    private func entryReport(_ plan: Plan, _ outcome: BundleEntryReport.Outcome, resolved: Int) -> BundleEntryReport {
        BundleEntryReport(index: plan.request.index, method: plan.request.method, resourceType: plan.request.target.type,
                          outcome: outcome, referencesResolved: resolved)
    }

    /// A batch runs each step in a savepoint; a transaction lets the error end everything.
    private func guarded(_ request: BundleEntryRequest, _ body: () throws -> Void) throws {
        do {
            if isTransaction { try body() } else { try transaction.isolated(body) }
        } catch let error as RecordError {
            throw error.located(inEntry: request.location)
        }
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
            let ownID = request.ownID
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

    private func checkOverlap(_ plans: [Plan?]) throws {
        var seen: [ResourceKey: Int] = [:]
        for index in plans.indices {
            guard let plan = plans[index], let key = plan.key, plan.request.method != .get, plan.request.method != .head else { continue }
            if let first = seen[key] {
                throw RecordError(.invalid, .invalid,
                                  "entries \(first) and \(index) both change \(key.type) with the same id; a transaction may change a resource once",
                                  at: [plan.request.location])
            }
            seen[key] = index
        }
    }

    /// Runs one write; `request` carries the content (the plan's copy does not).
    private func execute(_ plan: Plan, _ request: BundleEntryRequest) throws -> WriteResult {
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
