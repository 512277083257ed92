/// One problem found with a request or a resource: what kind, how bad, and where (FHIRPath
/// expressions such as `Patient.name[0].given[1]`). It becomes one `issue` of an
/// OperationOutcome. Diagnostics name elements and rules, never the values a person sent,
/// so an outcome can be logged without leaking health data.
public struct FHIRIssue: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case fatal, error, warning, information
    }

    /// Codes from the R4 IssueType value set (http://hl7.org/fhir/issue-type).
    public enum Code: String, Sendable, Hashable {
        case invalid, structure, required, value, invariant, security, login, unknown, expired
        case forbidden, suppressed, processing
        case notSupported = "not-supported"
        case duplicate
        case multipleMatches = "multiple-matches"
        case notFound = "not-found"
        case deleted
        case tooLong = "too-long"
        case codeInvalid = "code-invalid"
        case `extension`
        case tooCostly = "too-costly"
        case businessRule = "business-rule"
        case conflict, transient
        case lockError = "lock-error"
        case noStore = "no-store"
        case exception, timeout, incomplete, throttled, informational
    }

    public var severity: Severity
    public var code: Code
    public var diagnostics: String
    public var expression: [String]

    public init(_ severity: Severity = .error, _ code: Code, _ diagnostics: String, at expression: [String] = []) {
        self.severity = severity
        self.code = code
        self.diagnostics = diagnostics
        self.expression = expression
    }

    public init(_ severity: Severity = .error, _ code: Code, _ diagnostics: String, at expression: String) {
        self.init(severity, code, diagnostics, at: [expression])
    }

    public var description: String {
        let location = expression.isEmpty ? "" : " at \(expression.joined(separator: ", "))"
        return "\(severity.rawValue) \(code.rawValue)\(location): \(diagnostics)"
    }
}
