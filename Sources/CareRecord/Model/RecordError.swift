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
        /// What the request's viewer may not do, whatever the resource (403).
        case forbidden
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

    /// The same error located inside bundle entry `entry` (`Bundle.entry[n]`): paths rooted
    /// at a resource type (`Patient.birthDate`) become `Bundle.entry[n].resource.birthDate`;
    /// paths already in the bundle stay; an issue with no path gets the entry's.
    func located(inEntry entry: String) -> RecordError {
        RecordError(kind, issues.map { issue in
            var issue = issue
            issue.expression = issue.expression.isEmpty ? [entry] : issue.expression.map { path in
                if path.hasPrefix("Bundle.entry[") { return path }
                let root = path.prefix { $0 != "." && $0 != "[" }
                if FHIRDefinitions.r4.isResourceType(String(root)) {
                    return "\(entry).resource" + path.dropFirst(root.count)
                }
                return "\(entry).\(path)"
            }
            return issue
        })
    }
}
