import CareRecord
import FHIR
import Hummingbird

/// Any refusal at the HTTP level, carried as an OperationOutcome with its status. Record
/// errors, parse errors and framework errors all become one of these in one place
/// (`FHIROutcomeMiddleware`), so a FHIR client never sees anything but an OperationOutcome.
struct FHIRError: Error, Sendable {
    let status: HTTPResponse.Status
    let issues: [FHIRIssue]

    init(_ status: HTTPResponse.Status, _ code: FHIRIssue.Code, _ diagnostics: String, at expression: [String] = []) {
        self.status = status
        issues = [FHIRIssue(.error, code, diagnostics, at: expression)]
    }

    init(_ status: HTTPResponse.Status, issues: [FHIRIssue]) {
        self.status = status
        self.issues = issues
    }

    init(_ error: RecordError) {
        let status = error.kind.status
        self.init(HTTPResponse.Status(code: status.code, reasonPhrase: status.reason), issues: error.issues)
    }

    init(_ error: JSONParseError) {
        let code: FHIRIssue.Code = error.kind == .tooDeep || error.kind == .numberTooLarge || error.kind == .stringTooLong
            ? .tooCostly : .structure
        self.init(.badRequest, code, "the body is not acceptable JSON: \(error)")
    }
}
