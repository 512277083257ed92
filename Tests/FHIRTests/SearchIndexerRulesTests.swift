import Testing
@testable import FHIR

/// The indexing rules one at a time, with hand-built parameters over small resources.
@Suite("SearchIndexer rules")
struct SearchIndexerRulesTests {
    static func path(_ members: String, _ valueType: String, targets: [String]? = nil,
                     filter: (String, String, String)? = nil) -> SearchPath {
        let steps = members.split(separator: ".").map { member -> SearchPath.Step in
            if let filter, filter.0 == member {
                return SearchPath.Step(member: String(member), filter: SearchPath.Filter(member: filter.1, value: filter.2))
            }
            return SearchPath.Step(member: String(member))
        }
        return SearchPath(steps: steps, valueType: valueType, targetTypes: targets)
    }

    static func parameter(_ code: String, _ type: SearchParameterType, _ paths: SearchPath...,
                          on resourceType: String = "Observation", components: [SearchComponent] = []) -> SearchParameter {
        SearchParameter(code: code, resourceType: resourceType, type: type, url: "urn:test:" + code,
                        paths: paths, components: components)
    }

    static func index(_ resource: JSON, _ parameters: SearchParameter...) -> [SearchIndexEntry] {
        let type = resource["resourceType"]?.stringValue ?? "Observation"
        return SearchIndexer(parameters: parameters).entries(for: resource.objectValue!, type: type)
    }

    @Test("a step filter keeps only the matching items")
    func filteredSteps() {
        let patient: JSON = [
            "resourceType": "Patient",
            "telecom": [["system": "email", "value": "a@b.org"], ["system": "phone", "value": "0123"]],
        ]
        let entries = Self.index(patient, Self.parameter(
            "phone", .token, Self.path("telecom", "ContactPoint", filter: ("telecom", "system", "phone")), on: "Patient"))
        #expect(entries == [SearchIndexEntry("phone", .token(system: "", code: "0123"))])
    }

    @Test("a code with a required binding gets its one system; an unbound code does not")
    func boundCodes() {
        let patient: JSON = ["resourceType": "Patient", "gender": "other", "language": "en"]
        let entries = Self.index(patient,
            Self.parameter("gender", .token, Self.path("gender", "code"), on: "Patient"),
            Self.parameter("language", .token, Self.path("language", "code"), on: "Patient"))
        #expect(entries == [
            SearchIndexEntry("gender", .token(system: "http://hl7.org/fhir/administrative-gender", code: "other")),
            SearchIndexEntry("language", .token(system: "", code: "en")),
        ])
    }

    @Test("booleans are tokens true/false")
    func booleans() {
        let patient: JSON = ["resourceType": "Patient", "active": false]
        let entries = Self.index(patient, Self.parameter("active", .token, Self.path("active", "boolean"), on: "Patient"))
        #expect(entries == [SearchIndexEntry("active", .token(system: "", code: "false"))])
    }

    @Test("references: local, versioned, absolute, contained, urn:uuid, conditional, identifier, targets")
    func references() {
        let observation: JSON = [
            "resourceType": "Observation",
            "performer": [
                ["reference": "Practitioner/p1"],
                ["reference": "Practitioner/p2/_history/3"],
                ["reference": "https://other.org/fhir/Patient/x/_history/2"],
                ["reference": "https://other.org/things/9"],
                ["reference": "#contained"],
                ["reference": "urn:uuid:0b5f6d2a-0000-4000-8000-000000000000"],
                ["reference": "Patient?identifier=x|1"],
                ["reference": "Nonsense/1"],
                ["identifier": ["system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9000000009"], "type": "Patient"],
                ["identifier": ["value": "G123"]],
            ],
        ]
        let entries = Self.index(observation,
            Self.parameter("performer", .reference, Self.path("performer", "Reference")),
            Self.parameter("patient", .reference, Self.path("performer", "Reference", targets: ["Patient"])))
        #expect(entries.filter { $0.parameter.hasPrefix("performer") } == [
            SearchIndexEntry("performer", .reference(type: "Practitioner", id: "p1")),
            SearchIndexEntry("performer", .reference(type: "Practitioner", id: "p2")),
            SearchIndexEntry("performer", .reference(type: "", id: "https://other.org/fhir/Patient/x")),
            SearchIndexEntry("performer", .reference(type: "", id: "https://other.org/things/9")),
            SearchIndexEntry("performer:identifier", .token(system: "https://fhir.nhs.uk/Id/nhs-number", code: "9000000009")),
            SearchIndexEntry("performer:identifier", .token(system: "", code: "G123")),
        ])
        #expect(entries.filter { $0.parameter.hasPrefix("patient") } == [
            SearchIndexEntry("patient", .reference(type: "", id: "https://other.org/fhir/Patient/x")),
            SearchIndexEntry("patient:identifier", .token(system: "https://fhir.nhs.uk/Id/nhs-number", code: "9000000009")),
        ])
    }

    @Test("canonicals of a reference parameter: version dropped, relative ones also local")
    func canonicalReferences() {
        let response: JSON = ["resourceType": "QuestionnaireResponse", "questionnaire": "http://x.org/Questionnaire/q|2"]
        let relative: JSON = ["resourceType": "QuestionnaireResponse", "questionnaire": "Questionnaire/q1"]
        let parameter = Self.parameter("questionnaire", .reference, Self.path("questionnaire", "canonical"),
                                       on: "QuestionnaireResponse")
        #expect(Self.index(response, parameter) == [
            SearchIndexEntry("questionnaire", .reference(type: "", id: "http://x.org/Questionnaire/q")),
        ])
        #expect(Self.index(relative, parameter) == [
            SearchIndexEntry("questionnaire", .reference(type: "Questionnaire", id: "q1")),
            SearchIndexEntry("questionnaire", .reference(type: "", id: "Questionnaire/q1")),
        ])
    }

    @Test("dates: Period with open ends, Timing events and bounds, unparseable skipped")
    func dates() {
        let start: Int64 = 1_577_836_800_000  // 2020-01-01T00:00:00Z
        let open: JSON = ["resourceType": "Encounter", "period": ["start": "2020-01-01"]]
        let parameter = Self.parameter("date", .date, Self.path("period", "Period"), on: "Encounter")
        #expect(Self.index(open, parameter) == [SearchIndexEntry("date", .date(low: start, high: .max))])
        let closed: JSON = ["resourceType": "Encounter", "period": ["end": "2020"]]
        #expect(Self.index(closed, parameter) == [
            SearchIndexEntry("date", .date(low: .min, high: 1_609_459_200_000 - 1)),
        ])
        let bad: JSON = ["resourceType": "Encounter", "period": ["start": "2020-13"]]
        #expect(Self.index(bad, parameter).isEmpty)

        let request: JSON = [
            "resourceType": "MedicationRequest",
            "timing": ["event": ["2020-01-01", "nonsense"], "repeat": ["boundsPeriod": ["start": "2020-01-01", "end": "2020-01-02"]]],
        ]
        #expect(Self.index(request, Self.parameter("when", .date, Self.path("timing", "Timing"), on: "MedicationRequest")) == [
            SearchIndexEntry("when", .date(low: start, high: start + 86_400_000 - 1)),
            SearchIndexEntry("when", .date(low: start, high: start + 2 * 86_400_000 - 1)),
        ])
    }

    @Test("quantities: code or unit, both when they differ, Money, Range bounds, SampledData skipped")
    func quantities() {
        let observation: JSON = [
            "resourceType": "Observation",
            "valueQuantity": ["value": .number("5.40"), "unit": "beats/min", "system": "http://unitsofmeasure.org", "code": "/min"],
            "valueRange": ["low": ["value": 1, "unit": "mg"], "high": ["value": 3, "unit": "mg"]],
            "valueSampledData": ["origin": ["value": 1], "period": 1, "dimensions": 1],
            "price": ["value": .number("12.5"), "currency": "GBP"],
        ]
        let entries = Self.index(observation, Self.parameter("q", .quantity,
            Self.path("valueQuantity", "Quantity"), Self.path("valueRange", "Range"),
            Self.path("valueSampledData", "SampledData"), Self.path("price", "Money")))
        #expect(entries.map(\.value) == [
            .quantity(value: 5.4, system: "http://unitsofmeasure.org", code: "/min"),
            .quantity(value: 5.4, system: "", code: "beats/min"),
            .quantity(value: 1, system: "", code: "mg"),
            .quantity(value: 3, system: "", code: "mg"),
            .quantity(value: 12.5, system: "urn:iso:std:iso:4217", code: "GBP"),
        ])
    }

    @Test("numbers from decimals and integers as written")
    func numbers() {
        let assessment: JSON = [
            "resourceType": "RiskAssessment",
            "prediction": [["probabilityDecimal": .number("0.25")], ["probabilityDecimal": .number("1e-2")]],
        ]
        let entries = Self.index(assessment, Self.parameter(
            "probability", .number, Self.path("prediction.probabilityDecimal", "decimal"), on: "RiskAssessment"))
        #expect(entries.map(\.value) == [.number(0.25), .number(0.01)])
    }

    @Test("strings: HumanName and Address parts each their own entry")
    func namesAndAddresses() {
        let patient: JSON = [
            "resourceType": "Patient",
            "name": [["text": "Dr Ann Lee", "family": "Lee", "given": ["Ann", "B."], "prefix": ["Dr"], "suffix": ["PhD"], "use": "official"]],
            "address": [["line": ["1 High St", "Flat 2"], "city": "Leeds", "district": "West Yorkshire", "state": "England",
                         "postalCode": "LS1 1AA", "country": "GB", "use": "home"]],
        ]
        let entries = Self.index(patient,
            Self.parameter("address", .string, Self.path("address", "Address"), on: "Patient"),
            Self.parameter("name", .string, Self.path("name", "HumanName"), on: "Patient"))
        #expect(entries.filter { $0.parameter == "name" }.map(\.value) == [
            .string(normalized: "dr ann lee", exact: "Dr Ann Lee"), .string(normalized: "lee", exact: "Lee"),
            .string(normalized: "ann", exact: "Ann"), .string(normalized: "b.", exact: "B."),
            .string(normalized: "dr", exact: "Dr"), .string(normalized: "phd", exact: "PhD"),
        ])
        #expect(entries.filter { $0.parameter == "address" }.map { value -> String in
            if case .string(_, let exact) = value.value { return exact }
            return ""
        } == ["1 High St", "Flat 2", "Leeds", "West Yorkshire", "England", "LS1 1AA", "GB"])
    }

    @Test("an Extension's values are its value[x]")
    func extensions() {
        let report: JSON = [
            "resourceType": "DiagnosticReport",
            "extension": [
                ["url": "http://x.org/a", "valueReference": ["reference": "Condition/c1"]],
                ["url": "http://x.org/b", "valueString": "Não"],
            ],
        ]
        let entries = Self.index(report,
            Self.parameter("a", .reference, Self.path("extension", "Extension", filter: ("extension", "url", "http://x.org/a")),
                           on: "DiagnosticReport"),
            Self.parameter("b", .string, Self.path("extension", "Extension", filter: ("extension", "url", "http://x.org/b")),
                           on: "DiagnosticReport"))
        #expect(entries == [
            SearchIndexEntry("a", .reference(type: "Condition", id: "c1")),
            SearchIndexEntry("b", .string(normalized: "nao", exact: "Não")),
        ])
    }

    @Test("composites pair values from the same element only, three components nest to the right")
    func composites() {
        let sequence: JSON = [
            "resourceType": "MolecularSequence",
            "referenceSeq": ["chromosome": ["coding": [["system": "http://x", "code": "1"]]], "windowStart": 10, "windowEnd": 20],
        ]
        let parameter = Self.parameter("window", .composite, Self.path("referenceSeq", "BackboneElement"),
            on: "MolecularSequence", components: [
                SearchComponent(code: "chromosome", type: .token, paths: [Self.path("chromosome", "CodeableConcept")]),
                SearchComponent(code: "start", type: .number, paths: [Self.path("windowStart", "integer")]),
                SearchComponent(code: "end", type: .number, paths: [Self.path("windowEnd", "integer")]),
            ])
        #expect(Self.index(sequence, parameter).map(\.value) == [
            .composite(.token(system: "http://x", code: "1"), .composite(.number(10), .number(20))),
        ])
    }

    @Test("the walk stops at the cap: nested arrays are not all visited")
    func capStopsWalk() {
        let items = (0..<5_000).map { index -> JSON in ["code": ["coding": [["code": .string("\(index)")]]]] }
        let resource: JSON = ["resourceType": "Observation", "component": .array(items)]
        let entries = Self.index(resource, Self.parameter("c", .token, Self.path("component.code", "CodeableConcept")))
        #expect(entries.count == SearchIndexer.maximumEntriesPerParameter)
        #expect(entries.last?.value == .token(system: "", code: "999"))
    }

    @Test("unknown resource types and special parameters give nothing")
    func nothing() {
        let resource: JSON = ["resourceType": "Observation", "status": "final"]
        #expect(Self.index(resource, Self.parameter("near", .special, Self.path("status", "code"))).isEmpty)
        #expect(SearchIndexer(parameters: []).entries(for: resource.objectValue!, type: "Observation").isEmpty)
    }
}
