/// A `_text` or `_content` value as a full-text query: words, all of which must appear (in
/// any order, case and accents ignored), and "quoted phrases", whose words must appear
/// together in that order. Commas (FHIR OR) are split off before this.
///
/// The query goes to SQLite FTS5 as one bound argument. Every word and phrase is written as
/// an FTS5 string in double quotes, so nothing a client sends (`OR`, `NOT`, `*`, `:`,
/// parentheses, quotes) is read as FTS5 syntax: it is either a word or a separator.
public struct FullTextSearchValue: Sendable, Hashable {
    /// Each term: a word, or a phrase's words.
    public let terms: [[String]]

    /// At most this many words in one value.
    public static let maximumWords = 32

    public static func parse(_ text: String) throws(SearchValueError) -> FullTextSearchValue {
        var terms: [[String]] = []
        var inPhrase = false
        for (index, part) in text.split(separator: "\"", omittingEmptySubsequences: false).enumerated() {
            inPhrase = index % 2 == 1
            let words = Self.words(part)
            if words.isEmpty { continue }
            if inPhrase { terms.append(words) } else { terms += words.map { [$0] } }
        }
        if inPhrase { throw SearchValueError("a quoted phrase is not closed") }
        guard !terms.isEmpty else { throw SearchValueError("there are no words to search for (letters or digits)") }
        guard terms.joined().count <= maximumWords else {
            throw SearchValueError("at most \(maximumWords) words may be searched for at once")
        }
        return FullTextSearchValue(terms: terms)
    }

    /// Letters and digits in runs; anything else separates words, as FTS5's unicode61
    /// tokenizer reads the indexed text.
    public static func words(_ text: Substring) -> [String] {
        text.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
    }

    /// The FTS5 query: every term, ANDed. A word holds only letters and digits, so the
    /// quotes around it cannot be closed from inside.
    public var matchExpression: String {
        terms.map { "\"" + $0.joined(separator: " ") + "\"" }.joined(separator: " AND ")
    }

    /// Several values (FHIR OR): any of them.
    public static func matchExpression(anyOf values: [FullTextSearchValue]) -> String {
        values.count == 1 ? values[0].matchExpression : values.map { "(\($0.matchExpression))" }.joined(separator: " OR ")
    }
}
