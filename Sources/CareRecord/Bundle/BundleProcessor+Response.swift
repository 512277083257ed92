import FHIR

extension BundleProcessor {
    /// The transaction-response or batch-response: one entry per request, in request order.
    func response(count: Int, plans: [Int: Plan], results: [Int: WriteResult], reads: [Int: JSON],
                  failures: [Int: RecordError]) -> BundleResult {
        var entries: [JSON] = []
        var summaries: [BundleResult.EntryResult] = []
        entries.reserveCapacity(count)
        var resolved = 0
        for index in 0..<count {
            let plan = plans[index]
            let method = plan?.request.method.rawValue ?? "?"
            let type = plan.map { $0.request.target.type }
            if let error = failures[index] {
                let status = error.kind.status
                entries.append(["response": ["status": .string("\(status.code) \(status.reason)"),
                                             "outcome": OperationOutcome.json(error.issues)]])
                summaries.append(.init(index: index, method: method, resourceType: type, result: nil, error: error))
                continue
            }
            guard let plan else { continue }
            resolved += plan.referencesResolved
            if let read = reads[index] {
                var entry: JSONObject = ["response": ["status": "200 OK"]]
                if plan.request.method == .get { entry["resource"] = read }
                entries.append(.object(entry))
                summaries.append(.init(index: index, method: method, resourceType: type, result: nil, error: nil))
                continue
            }
            let result = results[index]
            entries.append(.object(entry(for: result, plan: plan)))
            summaries.append(.init(index: index, method: method, resourceType: type, result: result, error: nil))
        }
        let bundle: JSON = [
            "resourceType": "Bundle",
            "id": .string(writer.environment.newID()),
            "type": .string(isTransaction ? "transaction-response" : "batch-response"),
            "entry": .array(entries),
        ]
        return BundleResult(response: bundle, entries: summaries, referencesResolved: resolved)
    }

    private func entry(for result: WriteResult?, plan: Plan) -> JSONObject {
        var response: JSONObject = [:]
        let status: String
        switch result?.outcome {
        case .created: status = "201 Created"
        case .updated, .unchanged, .existing: status = "200 OK"
        case .deleted, .nothingToDelete, nil: status = "204 No Content"
        }
        response["status"] = .string(status)
        var entry: JSONObject = [:]
        if let stored = result?.stored, result?.outcome != .deleted, result?.outcome != .nothingToDelete {
            entry["fullUrl"] = .string(stored.key.description)
            response["location"] = .string(stored.location)
            response["etag"] = .string(stored.etag)
            response["lastModified"] = .string(stored.lastUpdated.description)
            if preference == .representation, let body = stored.body, let resource = try? JSONParser().parse(body) {
                entry["resource"] = resource
            }
        }
        var issues: [FHIRIssue] = []
        if !isTransaction, plan.referencesResolved > 0 {
            issues.append(FHIRIssue(.information, .informational,
                                    "\(plan.referencesResolved) reference(s) to other entries of this batch were resolved to the ids those entries were given"))
        }
        if preference == .operationOutcome || !issues.isEmpty {
            response["outcome"] = OperationOutcome.json(issues)
        }
        entry["response"] = .object(response)
        return entry
    }
}
