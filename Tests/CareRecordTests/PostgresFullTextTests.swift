@testable import CareRecord
import SyntheticArea
import Testing

/// The byte-by-byte `tsvector` of ASCII text is exactly what the general one makes, so that a
/// word indexed by one is found by a query made by the other.
@Suite("PostgreSQL full text: the ASCII path")
struct PostgresFullTextTests {
    @Test("ASCII text gives the same tsvector on both paths", arguments: [
        "", "   ", "Hypertension", "Blood pressure 120/80 mmHg, taken at 09:30.",
        "tab\tseparated\r\nCRLF lines\nand 'quotes' \"double\" back\\slash",
        "MiXeD CaSe and digits 2026 x2y3", "--- *** ;;; !!!", "word", " leading and trailing ",
        String(repeating: "a", count: 600) + " after a long word " + String(repeating: "Z9", count: 300),
    ])
    func sameAsGeneral(text: String) {
        #expect(PostgresFullText.asciiVector(text) == PostgresFullText.unicodeVector(text))
        #expect(PostgresFullText.vector(text) == PostgresFullText.unicodeVector(text))
    }

    @Test("Random ASCII, and more words than positions, agree")
    func randomASCII() {
        var generator = SeededGenerator(seed: 11)
        let alphabet = Array("abcXYZ019 \t\n\r.,;:'\"\\/-_()[]{}@#~".utf8)
        for _ in 0..<300 {
            let length = Int.random(in: 0..<200, using: &generator)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(PostgresFullText.asciiVector(text) == PostgresFullText.unicodeVector(text), "\(text.debugDescription)")
        }
        let many = (0..<(PostgresFullText.maximumPosition + 20)).map { "w\($0 % 7)" }.joined(separator: " ")
        #expect(PostgresFullText.asciiVector(many) == PostgresFullText.unicodeVector(many))
    }

    @Test("Text with any non-ASCII character takes the general path")
    func nonASCII() {
        let text = "Café crème, naïve"
        #expect(PostgresFullText.vector(text) == PostgresFullText.unicodeVector(text))
        #expect(PostgresFullText.vector(text).contains("'cafe':1"))
    }
}
