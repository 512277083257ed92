import FHIR

/// The search behind a conditional create, update or delete, and a conditional reference.
/// Until full search arrives it takes `identifier` and `_id` (comma for OR, repetition for
/// AND) and refuses every other parameter with a 400, so a client never gets an answer to a
/// question it did not ask.
public struct ConditionalQuery: Sendable, Hashable {
    public enum Clause: Sendable, Hashable {
        /// Any of these logical ids.
        case ids([String])
        /// Any of these identifier tokens.
        case identifiers([Token])
    }

    /// `system|value`, `|value` (no system), `system|` (any value) or `value` (any system).
    public struct Token: Sendable, Hashable {
        /// nil: any system; "": no system.
        public let system: String?
        /// nil: any value in the system.
        public let value: String?
    }

    public let type: String
    public let clauses: [Clause]

    /// Parses `Type?params` (a conditional URL or reference).
    public init(url: String) throws(RecordError) {
        guard let question = url.firstIndex(of: "?") else {
            throw RecordError(.invalid, .invalid, "a conditional URL needs a '?' and search parameters")
        }
        try self.init(type: String(url[..<question]), query: String(url[url.index(after: question)...]))
    }

    public init(type: String, query: String) throws(RecordError) {
        try self.init(type: type, parameters: QueryString.parse(query))
    }

    public init(type: String, parameters: [(name: String, value: String)]) throws(RecordError) {
        guard FHIRDefinitions.r4.isResourceType(type) else {
            throw RecordError(.invalid, .notSupported, "unknown resource type in a conditional URL")
        }
        var clauses: [Clause] = []
        for (name, value) in parameters {
            let alternatives = FHIRSearchEscaping.split(value, on: ",")
            guard !value.isEmpty, !alternatives.contains(where: \.isEmpty) else {
                throw RecordError(.invalid, .invalid, "search parameter '\(name)' has an empty value")
            }
            switch name {
            case "_id":
                clauses.append(.ids(alternatives))
            case "identifier":
                clauses.append(.identifiers(alternatives.map(Self.token)))
            default:
                throw RecordError(.invalid, .notSupported,
                                  "conditional interactions take only 'identifier' and '_id', not '\(name.prefix(64))'")
            }
        }
        guard !clauses.isEmpty else {
            throw RecordError(.invalid, .invalid, "a conditional interaction needs at least one search parameter")
        }
        self.type = type
        self.clauses = clauses
    }

    static func token(_ text: String) -> Token {
        let parts = FHIRSearchEscaping.split(text, on: "|", limit: 2)
        if parts.count == 1 { return Token(system: nil, value: parts[0]) }
        return Token(system: parts[0], value: parts[1].isEmpty ? nil : parts[1])
    }
}

/// FHIR search values escape `,` `|` `$` and `\` with a backslash.
enum FHIRSearchEscaping {
    static func split(_ text: String, on separator: Character, limit: Int = .max) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaping = false
        for char in text {
            if escaping {
                current.append(char)
                escaping = false
            } else if char == "\\" {
                escaping = true
            } else if char == separator, parts.count < limit - 1 {
                parts.append(current)
                current = ""
            } else {
                current.append(char)
            }
        }
        if escaping { current.append("\\") }
        parts.append(current)
        return parts
    }
}
