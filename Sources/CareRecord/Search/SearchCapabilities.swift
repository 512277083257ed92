import FHIR

/// What search supports, per resource type, from the same rules the parser applies, so that
/// the CapabilityStatement lists every parameter, modifier and include that works and
/// nothing that does not.
public enum SearchCapabilities {
    /// Parameters of the definitions searchable on `type`, by code. Left out: `special`
    /// parameters (the engine's own, `engineParameters`, are listed apart), and composites
    /// other than two components starting with a token.
    public static func parameters(of type: String, definitions: FHIRSearchDefinitions = .r4) -> [SearchParameter] {
        definitions.parameters(of: type).values.filter(isSupported).sorted { $0.code < $1.code }
    }

    static func isSupported(_ parameter: SearchParameter) -> Bool {
        switch parameter.type {
        case .special: return false
        case .composite:
            guard parameter.components.count == 2, parameter.components[0].type == .token else { return false }
            return [.token, .uri, .quantity, .number, .date, .string].contains(parameter.components[1].type)
        default: return true
        }
    }

    /// Modifiers a parameter takes (besides chaining on references). `_id` is a token kept as
    /// a column, not in the token index: it takes `:not` and `:missing` only.
    public static func modifiers(of parameter: SearchParameter) -> [String] {
        if parameter.code == "_id" { return ["missing", "not"] }
        return switch parameter.type {
        case .token: ["missing", "not", "text", "of-type", "in", "not-in"]
        case .string: ["missing", "exact", "contains"]
        case .reference: ["missing", "identifier", "[type]"]
        case .uri: ["missing", "below", "above"]
        case .date, .number, .quantity, .composite: ["missing"]
        case .special: []
        }
    }

    /// A parameter the search engine matches itself rather than through the generated
    /// definitions (R4 gives it no expression to index): full text and Location `near`.
    public struct EngineParameter: Sendable {
        public let code: String
        public let url: String
        public let type: SearchParameterType
        public let documentation: String
    }

    /// The engine's own parameters searchable on `type`: `_content` on every type, `_text` on
    /// those with a narrative (not Bundle, Binary, Parameters), `near` on Location.
    public static func engineParameters(of type: String) -> [EngineParameter] {
        let fullText = "Full text: words and \"quoted phrases\", all of which must appear (case and accents "
            + "ignored); commas give alternatives. _text searches the narrative, _content all the text. No modifiers."
        var parameters = [EngineParameter(code: "_content", url: "http://hl7.org/fhir/SearchParameter/Resource-content",
                                          type: .string, documentation: fullText)]
        if !["Bundle", "Binary", "Parameters"].contains(type) {
            parameters.append(EngineParameter(code: "_text", url: "http://hl7.org/fhir/SearchParameter/DomainResource-text",
                                              type: .string, documentation: fullText))
        }
        if type == "Location" {
            parameters.append(EngineParameter(
                code: "near", url: "http://hl7.org/fhir/SearchParameter/Location-near", type: .special,
                documentation: "latitude|longitude|distance|units: Locations whose position is within the distance "
                    + "(great-circle), in km (the default), m or [mi_i]; \(Int(NearSearchValue.defaultKilometres)) km "
                    + "when no distance is given; commas give alternatives. No modifiers."))
        }
        return parameters
    }

    /// `_include` values for matches of `type`: each reference parameter, and `*`.
    public static func includes(of type: String, definitions: FHIRSearchDefinitions = .r4) -> [String] {
        let references = parameters(of: type, definitions: definitions).filter { $0.type == .reference }.map { "\(type):\($0.code)" }
        return references.isEmpty ? [] : references + ["\(type):*"]
    }

    /// `_revinclude` values for matches of each type: every reference parameter of any type
    /// that can refer to it. Made in one pass over the definitions: asked type by type, the
    /// CapabilityStatement took each type's pass over every other type's parameters.
    public static func revIncludes(definitions: FHIRSearchDefinitions = .r4) -> [String: [String]] {
        var byTarget: [String: [String]] = [:]
        for source in FHIRDefinitions.r4.resourceTypes.sorted() {
            for parameter in definitions.parameters(of: source).values.sorted(by: { $0.code < $1.code })
            where parameter.type == .reference {
                for target in Set(parameter.targets) { byTarget[target, default: []].append("\(source):\(parameter.code)") }
            }
        }
        return byTarget
    }
}
