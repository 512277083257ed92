import FHIR

/// Why an interaction with the record was refused. The kind decides the HTTP status (the
/// App maps it in one place); the issues become the OperationOutcome. Every refusal leaves
/// the store as it was.
public struct RecordError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Malformed or invalid content (400).
        case invalid
        /// Valid FHIR that a rule of this server refuses (422).
        case unprocessable
        /// No such resource (404).
        case notFound
        /// The resource was deleted (410).
        case gone
        /// `If-Match` named a version that is no longer current (412).
        case versionConflict
        /// A conditional interaction matched more than one resource (412).
        case multipleMatches
        /// Something this server does not do (400 for parameters, 405 for interactions).
        case notSupported
        /// Writes overlapping in one transaction, or a version race (409).
        case conflict
    }

    public let kind: Kind
    public let issues: [FHIRIssue]

    public init(_ kind: Kind, _ issues: [FHIRIssue]) {
        self.kind = kind
        self.issues = issues
    }

    public init(_ kind: Kind, _ code: FHIRIssue.Code, _ diagnostics: String, at expression: [String] = []) {
        self.init(kind, [FHIRIssue(.error, code, diagnostics, at: expression)])
    }

    public var description: String {
        "record error \(kind): " + issues.map(\.description).joined(separator: "; ")
    }

    /// The same error with every issue's location put under `prefix` (for bundle entries).
    func located(under prefix: String) -> RecordError {
        RecordError(kind, issues.map { issue in
            var issue = issue
            issue.expression = issue.expression.isEmpty ? [prefix] : issue.expression.map { "\(prefix).\($0)" }
            return issue
        })
    }
}
