import FHIR

/// Small builders for the FHIR shapes the story writes again and again.
enum FHIRBuild {
    static let snomed = "http://snomed.info/sct"

    static func coding(_ system: String, _ code: String, _ display: String? = nil) -> JSON {
        var object: JSONObject = ["system": .string(system), "code": .string(code)]
        if let display { object["display"] = .string(display) }
        return .object(object)
    }

    static func concept(_ system: String, _ code: String, _ display: String? = nil) -> JSON {
        ["coding": [coding(system, code, display)]]
    }

    static func reference(_ type: String, _ id: String) -> JSON {
        ["reference": .string("\(type)/\(id)")]
    }

    static func integer(_ value: Int) -> JSON { .number(String(value)) }

    static func period(_ start: String, _ end: String?) -> JSON {
        var object: JSONObject = ["start": .string(start)]
        if let end { object["end"] = .string(end) }
        return .object(object)
    }

    static func valueExtension(_ url: String, _ key: String, _ value: JSON) -> JSON {
        .object(JSONObject([JSONMember("url", .string(url)), JSONMember(key, value)]))
    }
}
