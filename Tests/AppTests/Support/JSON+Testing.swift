import CareRecord
import FHIR
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

extension JSON {
    /// The element at `index` when this is an array, else nil.
    subscript(index: Int) -> JSON? {
        guard let array = arrayValue, array.indices.contains(index) else { return nil }
        return array[index]
    }

    /// The elements of an array (empty for anything else), to iterate in tests.
    var elements: [JSON] { arrayValue ?? [] }

    /// `Bundle.entry`.
    var entries: [JSON] { self["entry"]?.elements ?? [] }

    /// Every `reference` string anywhere in this value, in document order.
    var references: [String] {
        switch self {
        case .object(let object):
            object.members.flatMap { member -> [String] in
                if member.key == "reference", case .string(let text) = member.value { return [text] }
                return member.value.references
            }
        case .array(let array): array.flatMap(\.references)
        default: []
        }
    }

    /// Parses stored or received bytes.
    static func parse(_ bytes: [UInt8]?) throws -> JSON {
        try JSONParser().parse(bytes ?? [])
    }

    /// The same object with `key` set (appended when new).
    func setting(_ key: String, _ value: JSON?) -> JSON {
        guard var object = objectValue else { return self }
        object[key] = value
        return .object(object)
    }
}

/// One issue of an OperationOutcome, as a test reads it.
struct OutcomeIssue {
    let severity: String?
    let code: String?
    let diagnostics: String?
    let expression: [String]
}

extension JSON {
    var issues: [OutcomeIssue] {
        (self["issue"]?.elements ?? []).map { issue in
            OutcomeIssue(severity: issue["severity"]?.stringValue, code: issue["code"]?.stringValue,
                         diagnostics: issue["diagnostics"]?.stringValue,
                         expression: issue["expression"]?.elements.compactMap(\.stringValue) ?? [])
        }
    }

    var allExpressions: [String] { issues.flatMap(\.expression) }
}

/// Checks that `response` is an OperationOutcome with `status`, served as FHIR JSON, with an
/// error issue (of `code` and at `expression`, when given). Returns the outcome.
@discardableResult
func expectOutcome(_ response: TestResponse, _ status: HTTPResponse.Status, code: String? = nil,
                   expression: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSON {
    #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
    #expect(response.headers[.contentType] == "application/fhir+json; charset=utf-8", sourceLocation: sourceLocation)
    let outcome = try #require(try? response.json(), "body is not JSON: \(response.text)", sourceLocation: sourceLocation)
    #expect(outcome["resourceType"] == "OperationOutcome", "\(response.text)", sourceLocation: sourceLocation)
    let errors = outcome.issues.filter { $0.severity == "error" || $0.severity == "fatal" }
    #expect(!errors.isEmpty, "no error issue in \(response.text)", sourceLocation: sourceLocation)
    if let code {
        #expect(errors.contains { $0.code == code }, "no issue with code \(code) in \(response.text)",
                sourceLocation: sourceLocation)
    }
    if let expression {
        #expect(errors.contains { $0.expression.contains(expression) },
                "no issue at \(expression) in \(response.text)", sourceLocation: sourceLocation)
    }
    return outcome
}

/// Checks that nothing at all was ever written to `record`.
func expectNothingStored(_ record: CareRecord, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let versions = try await record.allVersions()
    #expect(versions.isEmpty, "\(versions.count) version(s) were stored", sourceLocation: sourceLocation)
}
