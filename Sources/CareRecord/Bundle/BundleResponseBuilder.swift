import FHIR

/// Collects the reports of a bundle held in memory and writes the transaction-response or
/// batch-response: one entry per request, in request order.
struct BundleResponseBuilder {
    let count: Int
    let isTransaction: Bool
    let preference: ReturnPreference
    private var reports: [BundleEntryReport?]

    init(count: Int, isTransaction: Bool, preference: ReturnPreference) {
        self.count = count
        self.isTransaction = isTransaction
        self.preference = preference
        reports = Array(repeating: nil, count: count)
    }

    mutating func add(_ report: BundleEntryReport) {
        if report.index < count { reports[report.index] = report }
    }

    func build(id: String) -> BundleResult {
        var entries: [JSON] = []
        var summaries: [BundleResult.EntryResult] = []
        entries.reserveCapacity(count)
        var resolved = 0
        for (index, report) in reports.enumerated() {
            guard let report else { continue }
            resolved += report.referencesResolved
            let method = report.method?.rawValue ?? "?"
            switch report.outcome {
            case .failed(let error):
                let status = error.kind.status
                entries.append(["response": ["status": .string("\(status.code) \(status.reason)"),
                                             "outcome": OperationOutcome.json(error.issues)]])
                summaries.append(.init(index: index, method: method, resourceType: report.resourceType, result: nil, error: error))
            case .read(let resource):
                var entry: JSONObject = ["response": ["status": "200 OK"]]
                var summary = BundleResult.EntryResult(index: index, method: method, resourceType: report.resourceType,
                                                       result: nil, error: nil)
                if report.method == .get {
                    entry["resource"] = resource
                    summary.read = AuditEntity.handedOut(in: resource)
                }
                entries.append(.object(entry))
                summaries.append(summary)
            case .written(let result):
                entries.append(.object(entry(for: result, referencesResolved: report.referencesResolved)))
                summaries.append(.init(index: index, method: method, resourceType: report.resourceType, result: result, error: nil))
            }
        }
        let bundle: JSON = [
            "resourceType": "Bundle",
            "id": .string(id),
            "type": .string(isTransaction ? "transaction-response" : "batch-response"),
            "entry": .array(entries),
        ]
        return BundleResult(response: bundle, entries: summaries, referencesResolved: resolved)
    }

    private func entry(for result: WriteResult, referencesResolved: Int) -> JSONObject {
        var response: JSONObject = [:]
        let status = switch result.outcome {
        case .created: "201 Created"
        case .updated, .unchanged, .existing: "200 OK"
        case .deleted, .nothingToDelete: "204 No Content"
        }
        response["status"] = .string(status)
        var entry: JSONObject = [:]
        if let stored = result.stored, result.outcome != .deleted, result.outcome != .nothingToDelete {
            entry["fullUrl"] = .string(stored.key.description)
            response["location"] = .string(stored.location)
            response["etag"] = .string(stored.etag)
            response["lastModified"] = .string(stored.lastUpdated.description)
            if preference == .representation, let body = stored.body, let resource = try? JSONParser().parse(body) {
                entry["resource"] = resource
            }
        }
        var issues: [FHIRIssue] = []
        if !isTransaction, referencesResolved > 0 {
            issues.append(FHIRIssue(.information, .informational,
                                    "\(referencesResolved) reference(s) to other entries of this batch were resolved to the ids those entries were given"))
        }
        if preference == .operationOutcome || !issues.isEmpty {
            response["outcome"] = OperationOutcome.json(issues)
        }
        entry["response"] = .object(response)
        return entry
    }
}
