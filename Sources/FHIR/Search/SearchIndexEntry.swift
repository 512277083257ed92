/// One value a resource is found by: the parameter it belongs to and the value in the
/// form the index stores. A resource's entries are computed from its JSON when it is
/// written (`SearchIndexer`) and replace its previous entries in the same transaction.
public struct SearchIndexEntry: Sendable, Hashable {
    /// The parameter code (`birthdate`), or a derived key for a modifier that needs values
    /// of its own: `code:text` (display and text of a token), `identifier:of-type`
    /// (identifier type and value), `subject:identifier` (Reference.identifier).
    public let parameter: String
    public let value: SearchIndexValue

    public init(_ parameter: String, _ value: SearchIndexValue) {
        self.parameter = parameter
        self.value = value
    }
}

/// An indexed value. Strings are stored normalised (`SearchText.normalize`) beside the
/// exact text; dates as inclusive ranges of milliseconds since 1970 UTC, because a FHIR date
/// is a range at its own precision.
public indirect enum SearchIndexValue: Sendable, Hashable {
    /// A token, a uri (system ""), or a boolean ("true"/"false", system ""). System "" means
    /// the value has no system. For `:of-type` the system is the type's system and the code
    /// `typeCode|value`.
    case token(system: String, code: String)
    case string(normalized: String, exact: String)
    case date(low: Int64, high: Int64)
    /// A local reference (`Patient/123` -> type "Patient", id "123"); an absolute or canonical
    /// URL is type "" and id the URL (version suffix removed for canonicals).
    case reference(type: String, id: String)
    case number(Double)
    case quantity(value: Double, system: String, code: String)
    /// A composite's first and second component values, taken from the same element.
    case composite(SearchIndexValue, SearchIndexValue)
}

/// The longest text an index row keeps in one column, in UTF-8 bytes: longer text is cut (at
/// a character's edge) when indexed and, the same way, when searched for. Why: PostgreSQL's
/// B-tree refuses an index row over about 2,700 bytes, and a search table's key holds up to
/// four text columns; a 2 MB string (R4 allows 1 MB and more) must still be storable. HAPI
/// FHIR cuts its string index at 200 characters. Search is by prefix and equality on these
/// columns, so a value longer than this can only match more, never less: every value that
/// shares its first 512 bytes.
public enum SearchKeyText {
    public static let maximumBytes = 512

    public static func cap(_ text: String) -> String {
        guard text.utf8.count > maximumBytes else { return text }
        var end = text.startIndex
        var bytes = 0
        for index in text.indices {
            let next = text.index(after: index)
            let length = text.utf8.distance(from: index, to: next)
            if bytes + length > maximumBytes { break }
            bytes += length
            end = next
        }
        return String(text[..<end])
    }
}

extension SearchIndexValue {
    /// The value with every text cut to `SearchKeyText.maximumBytes`.
    public var capped: SearchIndexValue {
        switch self {
        case .token(let system, let code): .token(system: SearchKeyText.cap(system), code: SearchKeyText.cap(code))
        case .string(let normalized, let exact): .string(normalized: SearchKeyText.cap(normalized), exact: SearchKeyText.cap(exact))
        case .reference(let type, let id): .reference(type: SearchKeyText.cap(type), id: SearchKeyText.cap(id))
        case .quantity(let value, let system, let code):
            .quantity(value: value, system: SearchKeyText.cap(system), code: SearchKeyText.cap(code))
        case .composite(let first, let second): .composite(first.capped, second.capped)
        case .date, .number: self
        }
    }
}
