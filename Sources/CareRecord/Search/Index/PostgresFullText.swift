import FHIR

/// Full text on PostgreSQL, tokenised by JoinedUp rather than by a text-search parser, so
/// that both engines split words alike: runs of letters and digits (`FullTextSearchValue.words`,
/// as SQLite's unicode61 tokenizer reads them), folded for case and accents (`SearchText`).
/// The index gets a `tsvector` with each word's position, a query a `tsquery` (`&` between
/// terms, `<->` between a phrase's words, `|` between FHIR's comma alternatives). A word is
/// only letters and digits, so the quotes around each lexeme cannot be closed from inside.
enum PostgresFullText {
    /// PostgreSQL keeps positions up to this; later words share it (phrases past it may match
    /// loosely, never fail to match).
    static let maximumPosition = 16_383

    /// `text` as `tsvector` input: `'word':1 'next':2 ...`.
    static func vector(_ text: String) -> String {
        var lexemes: [String] = []
        for (index, word) in FullTextSearchValue.words(Substring(text)).enumerated() {
            lexemes.append("'\(lexeme(word))':\(min(index + 1, maximumPosition))")
        }
        return lexemes.joined(separator: " ")
    }

    /// Several values (FHIR OR) as one `tsquery`.
    static func query(anyOf values: [FullTextSearchValue]) -> String {
        values.map { value in
            "(" + value.terms.map { term in
                "(" + term.map { "'\(lexeme($0))'" }.joined(separator: " <-> ") + ")"
            }.joined(separator: " & ") + ")"
        }.joined(separator: " | ")
    }

    /// A word as indexed and searched: folded, and cut as index keys are (PostgreSQL refuses a
    /// lexeme over 2,046 bytes; SQLite's FTS5 has no limit, so a word that long matches more
    /// loosely here).
    static func lexeme(_ word: String) -> String {
        SearchKeyText.cap(SearchText.normalize(word))
    }
}
