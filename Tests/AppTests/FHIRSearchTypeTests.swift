import FHIR
import Foundation
import HTTPTypes
import Testing

/// Search by each R4 parameter type, over HTTP. Every test stores its own few resources, each
/// under a short label, and compares the exact set of labels a search finds with the set R4
/// says it must find: a search that finds too much is as wrong as one that finds too little.
/// (Dates, `_lastUpdated` and malformed dates are in `FHIRSearchDateTests.swift`.)
extension FHIRServerTests {
    @Suite("Search by parameter type")
    struct FHIRSearchTypeTests {
        // MARK: Token

        /// The four token forms of R4 3.1.1.4.10, and `:not`, which also finds resources that
        /// have no value at all.
        @Test func tokenSystemAndCodeForms() async throws {
            try await TestServer.run { fhir, _ in
                let ids = try await fhir.createLabelled([
                    ("loinc", SearchMock.observation(SearchMock.concept([SearchMock.coding("http://loinc.org", "8480-6")]))),
                    ("snomed", SearchMock.observation(SearchMock.concept([SearchMock.coding("http://snomed.info/sct", "8480-6")]))),
                    ("noSystem", SearchMock.observation(SearchMock.concept([["code": "8480-6"]]))),
                    ("otherLoinc", SearchMock.observation(SearchMock.concept([SearchMock.coding("http://loinc.org", "8462-4")]))),
                    ("textOnly", SearchMock.observation(["text": "Heart rate"])),
                    ("both", SearchMock.observation(SearchMock.concept([SearchMock.coding("http://snomed.info/sct", "271649006"),
                                                                        SearchMock.coding("http://loinc.org", "8480-6")]))),
                ])
                try await fhir.expectSearch("Observation?code=8480-6", ["loinc", "snomed", "noSystem", "both"], ids)
                try await fhir.expectSearch("Observation?code=http://loinc.org|8480-6", ["loinc", "both"], ids)
                try await fhir.expectSearch("Observation?code=|8480-6", ["noSystem"], ids)
                try await fhir.expectSearch("Observation?code=http://loinc.org|", ["loinc", "otherLoinc", "both"], ids)
                // A resource with any matching value is not a :not match, whatever its other values.
                try await fhir.expectSearch("Observation?code:not=http://loinc.org|8480-6",
                                            ["snomed", "noSystem", "otherLoinc", "textOnly"], ids)
            }
        }

        /// `:text` is a string match (starts with, case and accents folded) on Coding.display
        /// and CodeableConcept.text; `:of-type` is identifier type system|code|value; a boolean
        /// is a token "true"/"false".
        @Test func tokenTextOfTypeAndBoolean() async throws {
            try await TestServer.run { fhir, _ in
                let ids = try await fhir.createLabelled([
                    ("display", SearchMock.observation(SearchMock.concept([SearchMock.coding("http://loinc.org", "8480-6",
                                                                                display: "Systolic blood pressure")]))),
                    ("text", SearchMock.observation(["text": "Élan vital"])),
                ])
                try await fhir.expectSearch("Observation?code:text=SYSTOLIC", ["display"], ids)
                try await fhir.expectSearch("Observation?code:text=elan", ["text"], ids)

                let v2 = "http://terminology.hl7.org/CodeSystem/v2-0203"
                func identifier(_ type: String, _ value: String) -> JSON {
                    ["type": ["coding": [["system": .string(v2), "code": .string(type)]]],
                     "system": "https://example.org/ids", "value": .string(value)]
                }
                let patients = try await fhir.createLabelled([
                    ("mr12345", SearchMock.patient(["identifier": [identifier("MR", "12345")], "active": true])),
                    ("mb12345", SearchMock.patient(["identifier": [identifier("MB", "12345")], "active": false])),
                    ("mr999", SearchMock.patient(["identifier": [identifier("MR", "999")]])),
                ])
                try await fhir.expectSearch("Patient?identifier:of-type=\(v2)|MR|12345", ["mr12345"], patients)
                try await fhir.expectSearch("Patient?active=true", ["mr12345"], patients)
                try await fhir.expectSearch("Patient?active=false", ["mb12345"], patients)
                try await fhir.expectSearch("Patient?active:not=true", ["mb12345", "mr999"], patients)
            }
        }

        /// `:in` / `:not-in` against value sets the server holds expanded. Patient.gender is a
        /// plain code; its required binding gives it the administrative-gender system. The
        /// immunization-status value set is a strict subset of event-status, so it tells a
        /// real membership test from "any code of the system".
        @Test func tokenInAndNotInValueSets() async throws {
            try await TestServer.run { fhir, _ in
                let gender = "http://hl7.org/fhir/ValueSet/administrative-gender"
                #expect(FHIRDefinitions.r4.valueSet(gender)?.isExpandable == true)
                let ids = try await fhir.createLabelled([
                    ("male", SearchMock.patient(["gender": "male"])),
                    ("other", SearchMock.patient(["gender": "other"])),
                    ("none", SearchMock.patient([:])),
                ])
                try await fhir.expectSearch("Patient?gender:in=\(gender)", ["male", "other"], ids)
                try await fhir.expectSearch("Patient?gender:not-in=\(gender)", ["none"], ids)

                let subset = "http://hl7.org/fhir/ValueSet/immunization-status"
                #expect(FHIRDefinitions.r4.valueSet(subset)?.isExpandable == true)
                let procedures = try await fhir.createLabelled([
                    ("completed", SearchMock.procedure(status: "completed")),
                    ("notDone", SearchMock.procedure(status: "not-done")),
                    ("inProgress", SearchMock.procedure(status: "in-progress")),
                ])
                try await fhir.expectSearch("Procedure?status:in=\(subset)", ["completed", "notDone"], procedures)
                try await fhir.expectSearch("Procedure?status:not-in=\(subset)", ["inProgress"], procedures)

                let unknown = try await fhir.get("/fhir/Patient?gender:in=http://example.org/ValueSet/unknown")
                try expectOutcome(unknown, .badRequest, expression: "gender:in")
            }
        }

        // MARK: String

        /// Default string search starts with the value, folding case and accents (both ways);
        /// `:exact` is the whole text, case and accents included; `:contains` anywhere. `name`
        /// covers every part of a HumanName.
        @Test func stringMatching() async throws {
            try await TestServer.run { fhir, _ in
                let ids = try await fhir.createLabelled([
                    ("cwikla", SearchMock.patient(["name": [["family": "Ćwikła", "given": ["Anna"]]]])),
                    ("cwikowski", SearchMock.patient(["name": [["family": "Cwikowski", "given": ["Piotr"]]]])),
                    ("smith", SearchMock.patient(["name": [["family": "Smith", "given": ["Cwen"]]]])),
                    ("mcsmith", SearchMock.patient(["name": [["family": "McSmith", "given": ["John"]]]])),
                    ("upper", SearchMock.patient(["name": [["family": "SMITH", "given": ["Jo"]]]])),
                    ("underscore", SearchMock.patient(["name": [["family": "Ab_cd"]]])),
                ])
                try await fhir.expectSearch("Patient?family=cwik", ["cwikla", "cwikowski"], ids)
                try await fhir.expectSearch("Patient?family=ĆWIKŁA", ["cwikla"], ids)
                try await fhir.expectSearch("Patient?family=smith", ["smith", "upper"], ids)
                try await fhir.expectSearch("Patient?family:exact=Smith", ["smith"], ids)
                try await fhir.expectSearch("Patient?family:exact=Ćwikła", ["cwikla"], ids)
                try await fhir.expectSearch("Patient?family:exact=Cwikła", [], ids)
                try await fhir.expectSearch("Patient?family:contains=MITH", ["smith", "mcsmith", "upper"], ids)
                try await fhir.expectSearch("Patient?family:contains=IKŁ", ["cwikla"], ids)
                // `_` and `%` are literal characters, not SQL LIKE wildcards.
                try await fhir.expectSearch("Patient?family:contains=_", ["underscore"], ids)
                try await fhir.expectSearch("Patient?family:contains=%", [], ids)
                try await fhir.expectSearch("Patient?name=cw", ["cwikla", "cwikowski", "smith"], ids)
                try await fhir.expectSearch("Patient?given=cw", ["smith"], ids)
                try await fhir.expectSearch("Patient?name:exact=Cwen", ["smith"], ids)
            }
        }

        // MARK: Reference

        /// `Type/id`, a bare id (any target type of the parameter), `:Type`, the reference's
        /// own identifier, and `patient`, which is `subject` restricted to Patient.
        @Test func referenceForms() async throws {
            try await TestServer.run { fhir, _ in
                let p = try await fhir.create(SearchMock.patient([:]))
                let q = try await fhir.create(SearchMock.patient([:]))
                let ids = try await fhir.createLabelled([
                    ("toP", SearchMock.observation(["text": "x"], ["subject": ["reference": .string("Patient/\(p)")]])),
                    ("toQ", SearchMock.observation(["text": "x"], ["subject": ["reference": .string("Patient/\(q)")]])),
                    // A Group that happens to share P's id: a bare id matches every target type.
                    ("toGroupP", SearchMock.observation(["text": "x"], ["subject": ["reference": .string("Group/\(p)")]])),
                    ("byIdentifier", SearchMock.observation(["text": "x"], [
                        "subject": ["identifier": ["system": "https://example.org/nhs", "value": "943 476 5919"]],
                    ])),
                ])
                try await fhir.expectSearch("Observation?subject=Patient/\(p)", ["toP"], ids)
                try await fhir.expectSearch("Observation?subject=\(p)", ["toP", "toGroupP"], ids)
                try await fhir.expectSearch("Observation?subject:Patient=\(p)", ["toP"], ids)
                try await fhir.expectSearch("Observation?subject:Group=\(p)", ["toGroupP"], ids)
                try await fhir.expectSearch("Observation?patient=\(p)", ["toP"], ids)
                try await fhir.expectSearch("Observation?patient=Patient/\(q)", ["toQ"], ids)
                try await fhir.expectSearch("Observation?subject:identifier=https://example.org/nhs|943 476 5919",
                                            ["byIdentifier"], ids)
                try await fhir.expectSearch("Observation?subject=Patient/\(p),Patient/\(q)", ["toP", "toQ"], ids)
            }
        }

        /// R4 3.1.1.4.12: an absolute URL under the server's own base is the same reference as
        /// the relative `Type/id`, whichever of the two the resource or the search holds.
        @Test func referenceAbsoluteURLToThisServer() async throws {
            try await TestServer.run { fhir, _ in
                let p = try await fhir.create(SearchMock.patient([:]))
                let base = try await fhir.searchBase()
                let ids = try await fhir.createLabelled([
                    ("relative", SearchMock.observation(["text": "x"], ["subject": ["reference": .string("Patient/\(p)")]])),
                    ("absolute", SearchMock.observation(["text": "x"], ["subject": ["reference": .string("\(base)/Patient/\(p)")]])),
                    ("elsewhere", SearchMock.observation(["text": "x"], [
                        "subject": ["reference": .string("https://elsewhere.example.org/fhir/Patient/\(p)")],
                    ])),
                ])
                try await fhir.expectSearch("Observation?subject=\(base)/Patient/\(p)", ["relative", "absolute"], ids)
                try await fhir.expectSearch("Observation?subject=Patient/\(p)", ["relative", "absolute"], ids)
                try await fhir.expectSearch("Observation?subject=https://elsewhere.example.org/fhir/Patient/\(p)",
                                            ["elsewhere"], ids)
            }
        }

        // MARK: Quantity and number

        /// A number's precision is its range (100 is [99.5, 100.5)); `number||code` matches
        /// the code or the unit in any system; `number|system|code` both.
        @Test func quantityComparisons() async throws {
            try await TestServer.run { fhir, _ in
                let ucum = "http://unitsofmeasure.org"
                func valued(_ quantity: JSON) -> JSON { SearchMock.observation(["text": "x"], ["valueQuantity": quantity]) }
                let ids = try await fhir.createLabelled([
                    ("150mmHg", valued(SearchMock.quantity("150", unit: "mmHg", system: ucum, code: "mm[Hg]"))),
                    ("5.4mg", valued(SearchMock.quantity("5.4", unit: "mg", system: ucum, code: "mg"))),
                    ("5.4mgUnitOnly", valued(SearchMock.quantity("5.4", unit: "mg"))),
                    ("5.4g", valued(SearchMock.quantity("5.4", unit: "g", system: ucum, code: "g"))),
                    ("100.4mg", valued(SearchMock.quantity("100.4", unit: "mg", system: ucum, code: "mg"))),
                    ("99.4mg", valued(SearchMock.quantity("99.4", unit: "mg", system: ucum, code: "mg"))),
                ])
                try await fhir.expectSearch("Observation?value-quantity=gt100", ["150mmHg", "100.4mg"], ids)
                try await fhir.expectSearch("Observation?value-quantity=5.4|\(ucum)|mg", ["5.4mg"], ids)
                try await fhir.expectSearch("Observation?value-quantity=5.4||mg", ["5.4mg", "5.4mgUnitOnly"], ids)
                try await fhir.expectSearch("Observation?value-quantity=5.4", ["5.4mg", "5.4mgUnitOnly", "5.4g"], ids)
                try await fhir.expectSearch("Observation?value-quantity=100", ["100.4mg"], ids)
                try await fhir.expectSearch("Observation?value-quantity=ap100||mg", ["100.4mg", "99.4mg"], ids)
                try await fhir.expectSearch("Observation?value-quantity=150||mmHg", ["150mmHg"], ids)
                try await fhir.expectSearch("Observation?value-quantity=le5.4|\(ucum)|mg", ["5.4mg"], ids)
            }
        }

        /// RiskAssessment `probability` (a number, at most 100 by ras-2): eq and ne use the
        /// implicit range of the value's precision (10 is [9.5, 10.5), 10.0 is [9.95, 10.05)),
        /// the other prefixes the value itself.
        @Test func numberPrecision() async throws {
            try await TestServer.run { fhir, _ in
                let ids = try await fhir.createLabelled([
                    ("9.5", SearchMock.riskAssessment(probability: "9.5")),
                    ("10.02", SearchMock.riskAssessment(probability: "10.02")),
                    ("10.4", SearchMock.riskAssessment(probability: "10.4")),
                    ("10.5", SearchMock.riskAssessment(probability: "10.5")),
                    ("0.25", SearchMock.riskAssessment(probability: "0.25")),
                ])
                try await fhir.expectSearch("RiskAssessment?probability=10", ["9.5", "10.02", "10.4"], ids)
                try await fhir.expectSearch("RiskAssessment?probability=10.0", ["10.02"], ids)
                try await fhir.expectSearch("RiskAssessment?probability=ne10", ["10.5", "0.25"], ids)
                try await fhir.expectSearch("RiskAssessment?probability=gt10.4", ["10.5"], ids)
                try await fhir.expectSearch("RiskAssessment?probability=ge10.4", ["10.4", "10.5"], ids)
                try await fhir.expectSearch("RiskAssessment?probability=lt1", ["0.25"], ids)
            }
        }

        // MARK: URI

        /// A uri matches whole; `:below` finds the URLs under the value, `:above` those the
        /// value is under.
        @Test func uriBelowAndAbove() async throws {
            try await TestServer.run { fhir, _ in
                func valueSet(_ url: String) -> JSON { ["resourceType": "ValueSet", "status": "active", "url": .string(url)] }
                let ids = try await fhir.createLabelled([
                    ("a", valueSet("http://example.org/fhir/ValueSet/a")),
                    ("ab", valueSet("http://example.org/fhir/ValueSet/a/b")),
                    ("other", valueSet("http://example.org/other")),
                ])
                try await fhir.expectSearch("ValueSet?url=http://example.org/fhir/ValueSet/a", ["a"], ids)
                try await fhir.expectSearch("ValueSet?url:below=http://example.org/fhir/ValueSet/a", ["a", "ab"], ids)
                try await fhir.expectSearch("ValueSet?url:above=http://example.org/fhir/ValueSet/a/b/c", ["a", "ab"], ids)
                try await fhir.expectSearch("ValueSet?url:below=http://example.org/", ["a", "ab", "other"], ids)
            }
        }

        // MARK: Composite

        /// Both halves of a composite must come from the same element: a blood pressure with
        /// systolic 120 and diastolic 80 has no component that is 8480-6 *and* below 100.
        @Test func compositeHalvesComeFromTheSameElement() async throws {
            try await TestServer.run { fhir, _ in
                let loinc = "http://loinc.org"
                func loincCode(_ code: String) -> JSON { SearchMock.concept([SearchMock.coding(loinc, code)]) }
                func mmHg(_ value: String) -> JSON {
                    SearchMock.quantity(value, unit: "mmHg", system: "http://unitsofmeasure.org", code: "mm[Hg]")
                }
                let ids = try await fhir.createLabelled([
                    ("systolic150", SearchMock.observation(loincCode("8480-6"), ["valueQuantity": mmHg("150")])),
                    ("systolic90", SearchMock.observation(loincCode("8480-6"), ["valueQuantity": mmHg("90")])),
                    ("diastolic150", SearchMock.observation(loincCode("8462-4"), ["valueQuantity": mmHg("150")])),
                    ("panel", SearchMock.observation(loincCode("85354-9"), ["component": [
                        ["code": loincCode("8480-6"), "valueQuantity": mmHg("120")],
                        ["code": loincCode("8462-4"), "valueQuantity": mmHg("80")],
                    ]])),
                    ("smoker", SearchMock.observation(loincCode("72166-2"), [
                        "valueCodeableConcept": SearchMock.concept([SearchMock.coding("http://snomed.info/sct", "449868002")]),
                    ])),
                ])
                try await fhir.expectSearch("Observation?code-value-quantity=\(loinc)|8480-6$gt100", ["systolic150"], ids)
                try await fhir.expectSearch("Observation?code-value-quantity=8480-6$gt100,8462-4$gt100",
                                            ["systolic150", "diastolic150"], ids)
                try await fhir.expectSearch("Observation?component-code-value-quantity=\(loinc)|8480-6$gt100", ["panel"], ids)
                try await fhir.expectSearch("Observation?component-code-value-quantity=\(loinc)|8480-6$lt100", [], ids)
                try await fhir.expectSearch("Observation?component-code-value-quantity=\(loinc)|8462-4$lt100", ["panel"], ids)
                try await fhir.expectSearch(
                    "Observation?code-value-concept=\(loinc)|72166-2$http://snomed.info/sct|449868002", ["smoker"], ids)
                try await fhir.expectSearch("Observation?code-value-concept=\(loinc)|8480-6$449868002", [], ids)
            }
        }

        // MARK: :missing

        /// `:missing=true` finds resources with no value for the parameter, `false` those with one.
        @Test func missingOnEachType() async throws {
            try await TestServer.run { fhir, _ in
                let ids = try await fhir.createLabelled([
                    ("full", SearchMock.patient([
                        "name": [["family": "Full"]], "gender": "female", "birthDate": "1980-01-01",
                        "generalPractitioner": [["reference": "Practitioner/gp"]],
                    ])),
                    ("givenOnly", SearchMock.patient(["name": [["given": ["Ann"]]]])),
                    ("empty", SearchMock.patient([:])),
                ])
                for (parameter, having) in [("gender", ["full"]), ("family", ["full"]), ("birthdate", ["full"]),
                                            ("general-practitioner", ["full"]), ("name", ["full", "givenOnly"])] {
                    let having = Set(having)
                    try await fhir.expectSearch("Patient?\(parameter):missing=false", having, ids)
                    try await fhir.expectSearch("Patient?\(parameter):missing=true", Set(ids.keys).subtracting(having), ids)
                }
            }
        }

        // MARK: OR, AND and escaping

        /// Commas are OR inside one parameter, repetition is AND, and `\,` is a literal comma.
        @Test func orAndAndEscapedComma() async throws {
            try await TestServer.run { fhir, _ in
                let tags = "https://example.org/tags"
                func tagged(_ codes: [String], gender: String) -> JSON {
                    SearchMock.patient(["gender": .string(gender),
                                    "meta": ["tag": .array(codes.map { ["system": .string(tags), "code": .string($0)] })]])
                }
                let ids = try await fhir.createLabelled([
                    ("ab", tagged(["a", "b"], gender: "male")),
                    ("a", tagged(["a"], gender: "female")),
                    ("b", tagged(["b"], gender: "other")),
                ])
                try await fhir.expectSearch("Patient?gender=male,female", ["ab", "a"], ids)
                try await fhir.expectSearch("Patient?_tag=a&_tag=b", ["ab"], ids)
                try await fhir.expectSearch("Patient?_tag=\(tags)|a,\(tags)|b", ["ab", "a", "b"], ids)
                try await fhir.expectSearch("Patient?_tag=b&gender=male,other", ["ab", "b"], ids)

                let system = "https://example.org/ids"
                func identified(_ value: String) -> JSON {
                    SearchMock.patient(["identifier": [["system": .string(system), "value": .string(value)]]])
                }
                let identifiers = try await fhir.createLabelled([
                    ("A,B", identified("A,B")), ("A", identified("A")), ("B", identified("B")),
                ])
                try await fhir.expectSearch(#"Patient?identifier=A\,B"#, ["A,B"], identifiers)
                try await fhir.expectSearch(#"Patient?identifier=\#(system)|A\,B"#, ["A,B"], identifiers)
                try await fhir.expectSearch("Patient?identifier=A,B", ["A", "B"], identifiers)
            }
        }

        // MARK: Parameters of every resource

        /// `_id`, `_tag`, `_profile` and `_security`, from the resource's id and meta.
        @Test func idTagProfileAndSecurity() async throws {
            try await TestServer.run { fhir, _ in
                let confidentiality = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
                let profile = "https://example.org/StructureDefinition/special-patient"
                let ids = try await fhir.createLabelled([
                    ("profiled", SearchMock.patient(["meta": ["profile": .array([.string(profile)])]])),
                    ("restricted", SearchMock.patient(["meta": [
                        "security": [["system": .string(confidentiality), "code": "R"]],
                        "tag": [["system": "https://example.org/tags", "code": "vip"]],
                    ]])),
                    ("plain", SearchMock.patient([:])),
                ])
                let profiled = try #require(ids["profiled"]), plain = try #require(ids["plain"])
                try await fhir.expectSearch("Patient?_id=\(profiled)", ["profiled"], ids)
                try await fhir.expectSearch("Patient?_id=\(profiled),\(plain)", ["profiled", "plain"], ids)
                try await fhir.expectSearch("Patient?_id=no-such-id", [], ids)
                try await fhir.expectSearch("Patient?_profile=\(profile)", ["profiled"], ids)
                try await fhir.expectSearch("Patient?_security=\(confidentiality)|R", ["restricted"], ids)
                try await fhir.expectSearch("Patient?_security:not=\(confidentiality)|R", ["profiled", "plain"], ids)
                try await fhir.expectSearch("Patient?_tag=https://example.org/tags|vip", ["restricted"], ids)
            }
        }

        // MARK: No match

        /// A valid search that matches nothing is a 200 searchset with total 0 and no entry.
        @Test func searchWithNoMatchIsAnEmptyBundle() async throws {
            try await TestServer.run { fhir, _ in
                _ = try await fhir.create(SearchMock.patient(["name": [["family": "Someone"]]]))
                for path in ["/fhir/Patient?family=nobody", "/fhir/Observation?code=8480-6",
                             "/fhir/Patient?birthdate=1900"] {
                    let response = try await fhir.get(path)
                    #expect(response.status == .ok, "\(path): \(response.text)")
                    let bundle = try response.json()
                    #expect(bundle["resourceType"] == "Bundle")
                    #expect(bundle["type"] == "searchset")
                    #expect(bundle["total"] == 0, "\(path): \(response.text)")
                    #expect(bundle["entry"] == nil, "\(path): \(response.text)")
                }
            }
        }
    }
}

// MARK: - Helpers

extension FHIRClient {
    /// Creates each resource in order (so the test clock gives them known `lastUpdated`
    /// times) and returns label -> id.
    func createLabelled(_ resources: [(String, JSON)]) async throws -> [String: String] {
        var ids: [String: String] = [:]
        for (label, resource) in resources { ids[label] = try await create(resource) }
        return ids
    }

    /// Runs `search` (`Type?query`, written unencoded) and checks it answers a searchset whose
    /// matches are exactly the resources labelled `expected`. Every entry must be a match: an
    /// `outcome` entry would mean a parameter was ignored, and the search did not test it.
    func expectSearch(_ search: String, _ expected: Set<String>, _ labels: [String: String],
                      sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let response = try await get("/fhir/" + SearchMock.encode(search))
        #expect(response.status == .ok, "\(search): \(response.text)", sourceLocation: sourceLocation)
        guard response.status == .ok else { return }
        let bundle = try response.json()
        #expect(bundle["type"] == "searchset", "\(search)", sourceLocation: sourceLocation)
        let modes = bundle.entries.map { $0["search"]?["mode"]?.stringValue ?? "?" }
        #expect(modes.allSatisfy { $0 == "match" }, "\(search): \(response.text)", sourceLocation: sourceLocation)
        let byID = Dictionary(uniqueKeysWithValues: labels.map { ($0.value, $0.key) })
        let found = bundle.entries.compactMap { $0["resource"]?["id"]?.stringValue }.map { byID[$0] ?? "id:\($0)" }
        #expect(Set(found) == expected, "\(search)", sourceLocation: sourceLocation)
        #expect(found.count == Set(found).count, "\(search): duplicate entries", sourceLocation: sourceLocation)
        if let total = bundle["total"] {
            #expect(total == .number(String(found.count)), "\(search): total", sourceLocation: sourceLocation)
        }
    }

    /// The server's FHIR base as it names itself (the self link of a search, up to `/fhir`).
    func searchBase() async throws -> String {
        let bundle = try await get("/fhir/Patient?_count=1").json()
        let link = try #require(bundle["link"]?[0]?["url"]?.stringValue)
        let end = try #require(link.range(of: "/fhir/"))
        return String(link[..<end.lowerBound]) + "/fhir"
    }
}

/// Small resources for the search tests: each has what validation requires and nothing more.
enum SearchMock {
    static func resource(_ type: String, _ members: JSONObject) -> JSON {
        .object(JSONObject([JSONMember("resourceType", .string(type))] + members.members))
    }

    static func patient(_ members: JSONObject) -> JSON { resource("Patient", members) }

    static func observation(_ code: JSON, _ members: JSONObject = [:]) -> JSON {
        resource("Observation", JSONObject([JSONMember("status", "final"), JSONMember("code", code)] + members.members))
    }

    static func procedure(status: String) -> JSON {
        resource("Procedure", ["status": .string(status), "subject": ["reference": "Patient/p"]])
    }

    static func riskAssessment(probability: String) -> JSON {
        resource("RiskAssessment", ["status": "final", "subject": ["reference": "Patient/p"],
                                    "prediction": [["probabilityDecimal": .number(probability)]]])
    }

    static func coding(_ system: String, _ code: String, display: String? = nil) -> JSON {
        var coding: JSONObject = ["system": .string(system), "code": .string(code)]
        if let display { coding["display"] = .string(display) }
        return .object(coding)
    }

    static func concept(_ codings: [JSON]) -> JSON { ["coding": .array(codings)] }

    static func quantity(_ value: String, unit: String, system: String? = nil, code: String? = nil) -> JSON {
        var quantity: JSONObject = ["value": .number(value), "unit": .string(unit)]
        if let system { quantity["system"] = .string(system) }
        if let code { quantity["code"] = .string(code) }
        return .object(quantity)
    }

    /// Percent-encodes what a URL query cannot carry as typed (`|`, `\`, `+`, spaces and
    /// non-ASCII), keeping `?`, `=`, `&`, `,`, `:`, `$` and `/` as the FHIR syntax writes them.
    static func encode(_ search: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                                   + "-._~?=&,:$/*!'()@;")
        return search.addingPercentEncoding(withAllowedCharacters: allowed) ?? search
    }
}
