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
struct BundleProcessor {
    let writer: RecordWriter
    let validator: ResourceValidator
    let isTransaction: Bool

    private var transaction: any StoreTransaction { writer.transaction }

    func run(_ source: some BundleEntrySource, plans: some BundlePlanStore, report: (BundleEntryReport) -> Void) throws {
        // 1. Validate every entry; run the deletes, so the conditions of the others see them.
        var methods = Set<BundleEntryRequest.Method>()
        try source.forEachEntry(validate: true) { index, parsed in
            switch parsed {
            case .failure(let error):
                if isTransaction { throw error }
                try plans.markFailed(index)
                report(BundleEntryReport(index: index, method: nil, resourceType: nil, outcome: .failed(error), referencesResolved: 0))
            case .success(let request):
                methods.insert(request.method)
                guard request.method == .delete else { return }
                try attempt(request, plans: plans, report: report) {
                    let key = try identify(request).key
                    if let key { try claim(key, index, plans: plans) }
                    return .written(try execute(request, key: key, existing: false))
                }
            }
        }
        // 2. Fix the identity of every other entry: new ids, conditional matches.
        if !methods.subtracting([.delete]).isEmpty {
            try source.forEachEntry(validate: false) { index, parsed in
                guard case .success(let request) = parsed, request.method != .delete, try !plans.isFailed(index) else { return }
                try attempt(request, plans: plans, report: report) {
                    let (key, existing) = try identify(request)
                    if let key, isTransaction, request.method != .get, request.method != .head {
                        try claim(key, index, plans: plans)
                    }
                    try plans.setPlan(index, key: key, existing: existing)
                    if let fullUrl = request.fullUrl, let key, request.method == .post || request.method == .put {
                        try plans.remember(fullUrl: fullUrl, as: key.description)
                    }
                    return nil
                }
            }
        }
        // 3. The writes and reads in FHIR's order, references rewritten just before each.
        var resolvedConditionals: [String: String] = [:]
        let rewriter = ReferenceRewriter(identity: plans.identity(for:)) { reference in
            if let known = resolvedConditionals[reference] { return known }
            let resolved = try writer.resolveConditionalReference(reference)
            resolvedConditionals[reference] = resolved
            return resolved
        }
        for phase: Set<BundleEntryRequest.Method> in [[.post], [.put, .patch], [.get, .head]] where !phase.isDisjoint(with: methods) {
            try source.forEachEntry(validate: false) { index, parsed in
                guard case .success(var request) = parsed, phase.contains(request.method),
                      let plan = try plans.plan(index) else { return }
                var resolved = 0
                try attempt(request, plans: plans, report: report, resolved: { resolved }) {
                    if var resource = request.resource, request.patch == nil {
                        resolved = try rewriter.rewrite(&resource, location: "\(request.location).resource")
                        request.resource = resource
                    }
                    if request.method == .get || request.method == .head { return .read(try read(request)) }
                    return .written(try execute(request, key: plan.key, existing: plan.existing))
                }
            }
        }
    }

    /// Runs one step of one entry and reports its outcome (when it has one). A batch runs it
    /// in a savepoint and reports a failure; a transaction lets a failure end everything.
    private func attempt(_ request: BundleEntryRequest, plans: some BundlePlanStore, report: (BundleEntryReport) -> Void,
                         resolved: () -> Int = { 0 }, _ step: () throws -> BundleEntryReport.Outcome?) throws {
        do {
            var outcome: BundleEntryReport.Outcome?
            if isTransaction {
                outcome = try step()
            } else {
                try transaction.isolated { outcome = try step() }
            }
            if let outcome { report(entryReport(request, outcome, resolved: resolved())) }
        } catch let error as RecordError {
            let located = error.located(inEntry: request.location)
            if isTransaction { throw located }
            try plans.markFailed(request.index)
            report(entryReport(request, .failed(located), resolved: 0))
        }
    }

    private func claim(_ key: ResourceKey, _ index: Int, plans: some BundlePlanStore) throws {
        guard isTransaction, let first = try plans.claim(key, by: index) else { return }
        throw RecordError(.invalid, .invalid,
                          "entries \(first) and \(index) both change \(key.type) with the same id; a transaction may change a resource once")
    }

    private func entryReport(_ request: BundleEntryRequest, _ outcome: BundleEntryReport.Outcome, resolved: Int) -> BundleEntryReport {
        BundleEntryReport(index: request.index, method: request.method, resourceType: request.target.type,
                          outcome: outcome, referencesResolved: resolved)
    }

    /// The resource an entry writes to, and whether a conditional create found it there.
    private func identify(_ request: BundleEntryRequest) throws -> (key: ResourceKey?, existing: Bool) {
        switch (request.method, request.target) {
        case (.post, .type(let type)):
            if let query = request.ifNoneExist {
                let ids = try transaction.matches(query)
                guard ids.count <= 1 else {
                    throw RecordError(.multipleMatches, .multipleMatches, "ifNoneExist matched more than one \(type)")
                }
                if let id = ids.first { return (ResourceKey(type, id), true) }
            }
            return (ResourceKey(type, writer.environment.newID()), false)
        case (.put, .instance(let key)), (.patch, .instance(let key)), (.delete, .instance(let key)):
            return (key, false)
        case (.put, .conditional(let query)):
            let ids = try transaction.matches(query)
            switch ids.count {
            case 0: return (ResourceKey(query.type, request.ownID ?? writer.environment.newID()), false)
            case 1:
                if let ownID = request.ownID, ownID != ids[0] {
                    throw RecordError(.invalid, .invalid, "the resource id differs from the resource the condition matched")
                }
                return (ResourceKey(query.type, ids[0]), false)
            default: throw RecordError(.multipleMatches, .multipleMatches, "the condition matched more than one \(query.type)")
            }
        case (.delete, .conditional(let query)):
            let ids = try transaction.matches(query)
            guard ids.count <= 1 else {
                throw RecordError(.multipleMatches, .multipleMatches, "the condition matched more than one \(query.type)")
            }
            return (ids.first.map { ResourceKey(query.type, $0) }, false)
        default:
            return (nil, false)
        }
    }

    /// Runs one write of `request` (which carries the content) on `key`.
    private func execute(_ request: BundleEntryRequest, key: ResourceKey?, existing: Bool) throws -> WriteResult {
        switch request.method {
        case .post:
            guard let key, let resource = request.resource else { break }
            if existing { return WriteResult(.existing, try transaction.version(key, nil)) }
            // `identify` minted the id of every POST that found nothing.
            return try writer.create(resource, type: key.type, id: key.id, idIsNew: true)
        case .put:
            guard let key, var resource = request.resource else { break }
            resource["id"] = .string(key.id)
            return try writer.update(resource, key: key, ifMatch: request.ifMatch)
        case .patch:
            guard let key, let patch = request.patch else { break }
            return try writer.patch(key, with: patch, ifMatch: request.ifMatch, validator: validator)
        case .delete:
            guard let key else { return WriteResult(.nothingToDelete, nil) }
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
            guard let stored = try transaction.version(key, version),
                  try writer.visibility.map({ try transaction.visible([key], $0.filter).contains(key) }) ?? true else {
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
