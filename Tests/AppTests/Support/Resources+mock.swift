import FHIR
import Foundation

/// Small valid resources for tests, and the Synthea fixtures on disk.
enum Mock {
    static let mrnSystem = "https://example.org/mrn"

    static func patient(family: String = "Smith", gender: String = "female", id: String? = nil,
                        mrn: String? = nil) -> JSON {
        var object: JSONObject = ["resourceType": "Patient"]
        if let id { object["id"] = .string(id) }
        if let mrn { object["identifier"] = [["system": .string(mrnSystem), "value": .string(mrn)]] }
        object["name"] = [["family": .string(family), "given": ["Alex"]]]
        object["gender"] = .string(gender)
        object["birthDate"] = "1970-01-01"
        return .object(object)
    }

    static func observation(subject: String, text: String = "Heart rate") -> JSON {
        ["resourceType": "Observation", "status": "final", "code": ["text": .string(text)],
         "subject": ["reference": .string(subject)]]
    }

    /// `system|value`, percent-encoded for a URL query.
    static func identifierQuery(_ value: String, system: String = mrnSystem) -> String {
        "identifier=\(system.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? system)%7C\(value)"
    }

    /// A transaction or batch entry.
    static func entry(_ method: String, _ url: String, resource: JSON? = nil, fullUrl: String? = nil,
                      ifNoneExist: String? = nil, ifMatch: String? = nil) -> JSON {
        var request: JSONObject = ["method": .string(method), "url": .string(url)]
        if let ifNoneExist { request["ifNoneExist"] = .string(ifNoneExist) }
        if let ifMatch { request["ifMatch"] = .string(ifMatch) }
        var entry: JSONObject = [:]
        if let fullUrl { entry["fullUrl"] = .string(fullUrl) }
        if let resource { entry["resource"] = resource }
        entry["request"] = .object(request)
        return .object(entry)
    }

    static func bundle(_ type: String, _ entries: [JSON]) -> JSON {
        ["resourceType": "Bundle", "type": .string(type), "entry": .array(entries)]
    }

    static func urn() -> String { "urn:uuid:\(UUID().uuidString.lowercased())" }

    /// `Tests/AppTests/Support/` up to the package root, then the shared Synthea fixtures.
    static var syntheaDirectory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent() // Support
            .deletingLastPathComponent() // AppTests
            .deletingLastPathComponent() // Tests
            .deletingLastPathComponent() // package root
            .appendingPathComponent("../shared/fixtures/synthea-r4/")
            .standardizedFileURL
    }
}
