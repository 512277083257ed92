import FHIR

/// What search supports, per resource type, from the same rules the parser applies, so that
/// the CapabilityStatement lists every parameter, modifier and include that works and
/// nothing that does not.
public enum SearchCapabilities {
    /// Parameters searchable on `type`, by code. Left out: `special` parameters (such as
    /// Location `near`), whose matching is not a value lookup, and composites other than
    /// two components starting with a token.
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

    /// Full-text parameters searchable on `type` (code, definition URL): `_content` on every
    /// type, `_text` on those with a narrative (not Bundle, Binary, Parameters). They are
    /// not in the generated definitions: R4 gives them no expression.
    public static func fullTextParameters(of type: String) -> [(code: String, url: String)] {
        let content = (code: "_content", url: "http://hl7.org/fhir/SearchParameter/Resource-content")
        if ["Bundle", "Binary", "Parameters"].contains(type) { return [content] }
        return [content, (code: "_text", url: "http://hl7.org/fhir/SearchParameter/DomainResource-text")]
    }

    /// How full-text values are read, for the CapabilityStatement.
    public static let fullTextDocumentation = "Full text: words and \"quoted phrases\", all of which must appear "
        + "(case and accents ignored); commas give alternatives. _text searches the narrative, _content all the text. "
        + "No modifiers."

    /// `_include` values for matches of `type`: each reference parameter, and `*`.
    public static func includes(of type: String, definitions: FHIRSearchDefinitions = .r4) -> [String] {
        let references = parameters(of: type, definitions: definitions).filter { $0.type == .reference }.map { "\(type):\($0.code)" }
        return references.isEmpty ? [] : references + ["\(type):*"]
    }

    /// `_revinclude` values for matches of `type`: every reference parameter of any type that
    /// can refer to it.
    public static func revIncludes(of type: String, definitions: FHIRSearchDefinitions = .r4) -> [String] {
        FHIRDefinitions.r4.resourceTypes.sorted().flatMap { source in
            definitions.parameters(of: source).values
                .filter { $0.type == .reference && $0.targets.contains(type) }
                .map { "\(source):\($0.code)" }.sorted()
        }
    }
}
