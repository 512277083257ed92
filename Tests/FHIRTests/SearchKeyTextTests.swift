import FHIR
import Testing

@Suite("Search index keys are cut at 512 bytes")
struct SearchKeyTextTests {
    @Test func shortTextIsKept() {
        #expect(SearchKeyText.cap("Smith") == "Smith")
        #expect(SearchKeyText.cap(String(repeating: "a", count: 512)).utf8.count == 512)
    }

    @Test(arguments: ["a", "é", "漢", "👩‍⚕️"])
    func longTextIsCutAtACharactersEdge(unit: String) {
        let text = String(repeating: unit, count: 600)
        let cut = SearchKeyText.cap(text)
        #expect(cut.utf8.count <= SearchKeyText.maximumBytes)
        #expect(cut.utf8.count > SearchKeyText.maximumBytes - unit.utf8.count, "no more than one character short")
        #expect(text.hasPrefix(cut) && cut.count == cut.utf8.count / unit.utf8.count)
    }

    @Test func indexedValuesAreCutLikeSearchedOnes() {
        let long = String(repeating: "x", count: 700)
        let value = SearchIndexValue.composite(.token(system: long, code: long), .string(normalized: long, exact: long)).capped
        guard case .composite(.token(let system, let code), .string(let normalized, let exact)) = value else {
            Issue.record("the composite kept its shape")
            return
        }
        #expect([system, code, normalized, exact].allSatisfy { $0 == SearchKeyText.cap(long) })
    }
}
