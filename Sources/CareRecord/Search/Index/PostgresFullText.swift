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
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return asciiVector(text) }
        return unicodeVector(text)
    }

    /// `vector` of ASCII text, byte by byte: most narrative is ASCII, and the writer makes
    /// one of these for every version stored. The same words as `unicodeVector`: in ASCII the
    /// letters and digits are A-Z, a-z and 0-9, folding is lowercasing, and a capped word is
    /// its first `SearchKeyText.maximumBytes` bytes.
    static func asciiVector(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count * 2)
        var position = 0
        var length = 0
        func endWord() {
            guard length > 0 else { return }
            out.append(UInt8(ascii: "'"))
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: String(min(position, maximumPosition)).utf8)
            length = 0
        }
        for byte in text.utf8 {
            let isLetterOrDigit = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
            guard isLetterOrDigit else {
                endWord()
                continue
            }
            if length == 0 {
                position += 1
                if position > 1 { out.append(UInt8(ascii: " ")) }
                out.append(UInt8(ascii: "'"))
            }
            if length < SearchKeyText.maximumBytes { out.append(byte >= 0x41 && byte <= 0x5A ? byte + 32 : byte) }
            length += 1
        }
        endWord()
        return String(decoding: out, as: UTF8.self)
    }

    /// `vector` of any text.
    static func unicodeVector(_ text: String) -> String {
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
