import FHIR
import Testing

@Suite("Full text: what is indexed and how a value is read")
struct FullTextTests {
    func object(_ text: String) throws -> JSONObject {
        try #require(try JSONParser().parse(Array(text.utf8)).objectValue)
    }

    @Test func narrativeLosesItsMarkupAndKeepsItsCharacters() {
        #expect(FullText.strippingMarkup(#"<div xmlns="http://www.w3.org/1999/xhtml"><p>Fish &amp; chips</p><br/>caf&#233; &#x263A; &lt;b&gt;</div>"#)
            .split(separator: " ").joined(separator: " ") == "Fish & chips café ☺ <b>")
        #expect(FullText.strippingMarkup("a &unknown; b & c") == "a &unknown; b & c")
    }

    @Test func contentIsTheTextNotTheNamesAndPointers() throws {
        let text = try #require(FullText.of(try object("""
            {"resourceType": "Observation", "id": "obs1", "meta": {"versionId": "3", "source": "metasource"},
             "text": {"status": "generated", "div": "<div>Seen in clinic</div>"},
             "status": "final", "code": {"coding": [{"system": "http://loinc.org", "code": "8480-6", "display": "Systolic"}]},
             "subject": {"reference": "Patient/pat1", "display": "Ann Smith"},
             "extension": [{"url": "http://example.org/ext", "valueString": "extra words"}],
             "effectiveDateTime": "2015-05-29T14:21:00Z", "issued": "2015-05-29T14:22:00.000+01:00",
             "valueAttachment": {"contentType": "text/plain", "data": "aGVsbG8=", "title": "2015 annual review"}}
            """)))
        #expect(text.narrative.contains("Seen in clinic"))
        let words = Set(text.content.split(separator: " ").map(String.init))
        #expect(words.isSuperset(of: ["Seen", "clinic", "final", "8480-6", "Systolic", "Ann", "Smith", "extra", "words",
                                      "2015", "annual"]))
        #expect(words.isDisjoint(with: ["obs1", "3", "metasource", "http://loinc.org", "Patient/pat1",
                                        "http://example.org/ext", "text/plain", "aGVsbG8=", "Observation",
                                        "2015-05-29T14:21:00Z", "2015-05-29T14:22:00.000+01:00"]))
        #expect(FullText.of(try object(#"{"resourceType": "Basic", "id": "b"}"#)) == nil)
    }

    @Test func datesAreNotWordsButCodesAndYearsAre() {
        for date in ["2015-05", "2015-05-29", "2015-05-29T14:21:00Z", "2015-05-29T14:22:00.000+01:00"] {
            #expect(FullText.isDateLike(date), "\(date)")
        }
        for text in ["2015", "8480-6", "39156-5", "2015-05-29 notes", "2015-05-29Tea", "1234-56-7", "phone 2015-05"] {
            #expect(!FullText.isDateLike(text), "\(text)")
        }
    }

    @Test func aHugeResourceGivesABoundedRow() throws {
        let notes = (0..<5_000).map { #"{"text": "note number \#($0) with some words in it"}"# }.joined(separator: ",")
        let text = try #require(FullText.of(try object(#"{"resourceType": "Observation", "note": [\#(notes)]}"#)))
        #expect(text.content.count == FullText.maximumCharacters)
    }

    @Test func valuesAreWordsAndPhrases() throws {
        #expect(try FullTextSearchValue.parse("Falls  at-home").matchExpression == #""Falls" AND "at" AND "home""#)
        #expect(try FullTextSearchValue.parse(#"lives "at home" alone"#).terms == [["lives"], ["at", "home"], ["alone"]])
        #expect(try FullTextSearchValue.parse(#"a" OR "b*"#).matchExpression == #""a" AND "OR" AND "b""#)
        #expect(FullTextSearchValue.matchExpression(anyOf: [try .parse("a b"), try .parse("c")]) == #"("a" AND "b") OR ("c")"#)
        #expect(throws: SearchValueError.self) { try FullTextSearchValue.parse("!!! ---") }
        #expect(throws: SearchValueError.self) { try FullTextSearchValue.parse(#"an "open phrase"#) }
        #expect(throws: SearchValueError.self) { try FullTextSearchValue.parse(Array(repeating: "w", count: 33).joined(separator: " ")) }
    }
}
