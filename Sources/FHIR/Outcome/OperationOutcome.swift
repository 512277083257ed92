/// Builds the OperationOutcome resource that carries issues back to a client.
public enum OperationOutcome {
    public static func json(_ issues: [FHIRIssue]) -> JSON {
        var outcome: JSONObject = ["resourceType": "OperationOutcome"]
        let list = issues.isEmpty ? [FHIRIssue(.information, .informational, "All OK")] : issues
        outcome["issue"] = .array(list.map(issueJSON))
        return .object(outcome)
    }

    public static func json(_ issue: FHIRIssue) -> JSON {
        json([issue])
    }

    static func issueJSON(_ issue: FHIRIssue) -> JSON {
        var object: JSONObject = [
            "severity": .string(issue.severity.rawValue),
            "code": .string(issue.code.rawValue),
            "diagnostics": .string(issue.diagnostics),
        ]
        if !issue.expression.isEmpty {
            object["expression"] = .array(issue.expression.map(JSON.string))
        }
        return .object(object)
    }
}
