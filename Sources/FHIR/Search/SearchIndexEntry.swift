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
