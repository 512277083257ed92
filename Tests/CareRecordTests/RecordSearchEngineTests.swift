import CareRecord
import FHIR
import Storage
import Testing
import TestSupport

/// Search where the engines' SQL differs (full text, distances, very long values, writes made
/// and searched inside one transaction): the same answers on SQLite and PostgreSQL. The HTTP
/// search suites run on both engines too (`scripts/test`'s second pass).
@Suite("Record: search answers alike on both engines")
struct RecordSearchEngineTests {
    private func ids(_ record: CareRecord, _ type: String, _ parameters: [(String, String)]) async throws -> [String] {
        let request = SearchRequest(types: [type], parameters: parameters.map { QueryParameter(name: $0.0, value: $0.1) })
        return try await record.search(request).page.matches.map(\.key.id).sorted()
    }

    private func store(_ record: CareRecord, _ text: String) async throws -> String {
        try #require(try await record.create(try json(text), type: JSONParser().parse(text)["resourceType"]?.stringValue ?? "")
            .stored?.key.id)
    }

    @Test(arguments: TestEngines.available)
    func fullTextFoldsCaseAndAccentsAndKeepsPhrasesInOrder(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let zoe = try await store(test.record, #"{"resourceType":"Patient","name":[{"family":"Zoë Kelly-Brown"}]}"#)
        let other = try await store(test.record, #"{"resourceType":"Patient","name":[{"family":"Brown Kelly"}]}"#)
        #expect(try await ids(test.record, "Patient", [("_content", "ZOE")]) == [zoe])
        #expect(try await ids(test.record, "Patient", [("_content", "kelly brown")]) == [zoe, other].sorted())
        #expect(try await ids(test.record, "Patient", [("_content", "\"kelly brown\"")]) == [zoe])
        #expect(try await ids(test.record, "Patient", [("_content", "\"brown kelly\",zoe")]) == [zoe, other].sorted())
        #expect(try await ids(test.record, "Patient", [("_content", "smith")]).isEmpty)
    }

    @Test(arguments: TestEngines.available)
    func aValueLongerThanAnIndexKeyIsStoredAndFoundByItsFirst512Bytes(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let accented = String(repeating: "é", count: 300) + "-tail"  // 605 bytes of UTF-8, cut inside no character
        let accentedID = try await store(test.record, #"{"resourceType":"Patient","name":[{"family":"\#(accented)"}]}"#)
        let long = String(repeating: "ab", count: 300)
        let longID = try await store(test.record, #"{"resourceType":"Patient","name":[{"family":"\#(long)-tail"}]}"#)
        _ = try await store(test.record, #"{"resourceType":"Patient","name":[{"family":"ab"}]}"#)
        #expect(try await ids(test.record, "Patient", [("family:exact", accented)]) == [accentedID])
        #expect(try await ids(test.record, "Patient", [("family", String(repeating: "e", count: 256))]) == [accentedID])
        #expect(try await ids(test.record, "Patient", [("family:exact", long + "-tail")]) == [longID])
        // Past 512 bytes a value is cut, in the index and in the search alike: a value that
        // differs only after that matches.
        #expect(try await ids(test.record, "Patient", [("family:exact", long + "-other")]) == [longID])
        #expect(try await ids(test.record, "Patient", [("family:exact", String(repeating: "ab", count: 200))]).isEmpty)
    }

    @Test(arguments: TestEngines.available)
    func nearFindsWhatIsWithinTheDistance(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let leeds = try await store(test.record, #"{"resourceType":"Location","position":{"latitude":53.7997,"longitude":-1.5492}}"#)
        _ = try await store(test.record, #"{"resourceType":"Location","position":{"latitude":51.5072,"longitude":-0.1276}}"#)
        #expect(try await ids(test.record, "Location", [("near", "53.80|-1.55|5|km")]) == [leeds])
        #expect(try await ids(test.record, "Location", [("near", "53.80|-1.55|400|km")]).count == 2)
    }

    @Test(arguments: TestEngines.available)
    func aConditionalCreateSeesWhatItsOwnTransactionWrote(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let bundle = try json("""
            {"resourceType":"Bundle","type":"transaction","entry":[
              {"fullUrl":"urn:uuid:1","resource":{"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9434765919"}]},
               "request":{"method":"POST","url":"Patient"}},
              {"resource":{"resourceType":"Observation","status":"final","code":{"text":"pulse"},
                "subject":{"reference":"Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9434765919"}},
               "request":{"method":"POST","url":"Observation"}}]}
            """)
        _ = try await test.record.process(bundle: bundle)
        let patients = try await ids(test.record, "Patient", [("identifier", "9434765919")])
        #expect(patients.count == 1)
        let observations = try await ids(test.record, "Observation", [("subject", "Patient/\(patients.first ?? "")")])
        #expect(observations.count == 1, "the conditional reference found the patient written earlier in the transaction")
    }

    /// The default total (an estimate) counts up to 1,000 matches and leaves a larger total
    /// out rather than pay for it; `_total=accurate` counts them all. On every page, and
    /// whether one set answers the search (counted with the page) or a second clause is
    /// tested per candidate.
    @Test(arguments: TestEngines.available)
    func anEstimatedTotalPastAThousandIsLeftOutAndAnAccurateOneCounted(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let people = try (0..<1_005).map { n in
            try json(#"{"resourceType":"Patient","gender":"\#(n % 5 == 0 ? "female" : "male")","name":[{"family":"Many"}]}"#)
        }
        let results = try await test.record.importResources(people)
        #expect(results.allSatisfy { if case .success = $0 { true } else { false } })
        func total(_ parameters: [(String, String)]) async throws -> (total: Int?, count: Int, next: String?) {
            let request = SearchRequest(types: ["Patient"], parameters: parameters.map { QueryParameter(name: $0.0, value: $0.1) })
            let page = try await test.record.search(request).page
            return (page.total, page.matches.count, page.next)
        }
        let estimate = try await total([("family", "many"), ("_count", "10")])
        #expect(estimate.total == nil && estimate.count == 10)
        let accurate = try await total([("family", "many"), ("_count", "10"), ("_total", "accurate")])
        #expect(accurate.total == 1_005 && accurate.count == 10)
        let next = try #require(accurate.next)
        let second = try await total([("family", "many"), ("_count", "10"), ("_total", "accurate"), ("_cursor", next)])
        #expect(second.total == 1_005 && second.count == 10)
        // A fifth of them: under the limit, so the estimate is exact.
        let women = try await total([("family", "many"), ("gender", "female"), ("_count", "10")])
        #expect(women.total == 201 && women.count == 10)
        let womenAccurate = try await total([("family", "many"), ("gender", "female"), ("_count", "10"), ("_total", "accurate")])
        #expect(womenAccurate.total == 201)
    }
}
