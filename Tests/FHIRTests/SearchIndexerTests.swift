import Foundation
import Testing
@testable import FHIR

/// The index entries of real Synthea resources under the real R4 definitions. References in
/// the fixtures are `urn:uuid:` fullUrls, which a transaction rewrites to `Type/id` before the
/// write; the fixtures here are rewritten the same way, so they are indexed as stored.
@Suite("SearchIndexer on Synthea resources")
struct SearchIndexerTests {
    static let indexer = SearchIndexer()

    static let fixtures: URL = URL(fileURLWithPath: #filePath)
        .resolvingSymlinksInPath()
        .deletingLastPathComponent()  // FHIRTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("../shared/fixtures/synthea-r4")
        .standardizedFileURL

    /// Every resource of every fixture bundle, with `urn:uuid:` references rewritten to
    /// `Type/id` as a transaction would store them.
    static let resources: [JSONObject] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? []
        var all: [JSONObject] = []
        var identities: [String: String] = [:]
        for name in names.sorted() where name.hasSuffix(".json") {
            guard let data = try? Data(contentsOf: fixtures.appendingPathComponent(name)),
                  let bundle = try? JSONParser().parse(data),
                  case .array(let entries)? = bundle["entry"] else { continue }
            for entry in entries {
                guard case .object(let resource)? = entry["resource"] else { continue }
                if case .string(let fullUrl)? = entry["fullUrl"], case .string(let type)? = resource["resourceType"],
                   case .string(let id)? = resource["id"] {
                    identities[fullUrl] = type + "/" + id
                }
                all.append(resource)
            }
        }
        return all.map { rewrite(.object($0), identities).objectValue! }
    }()

    private static func rewrite(_ value: JSON, _ identities: [String: String]) -> JSON {
        switch value {
        case .object(let object):
            var out = object
            for member in object.members {
                if member.key == "reference", case .string(let text) = member.value, let local = identities[text] {
                    out[member.key] = .string(local)
                } else {
                    out[member.key] = rewrite(member.value, identities)
                }
            }
            return .object(out)
        case .array(let items):
            return .array(items.map { rewrite($0, identities) })
        default:
            return value
        }
    }

    static func resource(_ type: String, where predicate: (JSONObject) -> Bool = { _ in true }) throws -> JSONObject {
        try #require(resources.first { $0["resourceType"] == .string(type) && predicate($0) })
    }

    static func entries(_ resource: JSONObject) -> [SearchIndexEntry] {
        indexer.entries(for: resource, type: resource.indexString("resourceType")!)
    }

    static func values(_ entries: [SearchIndexEntry], _ parameter: String) -> [SearchIndexValue] {
        entries.filter { $0.parameter == parameter }.map(\.value)
    }

    static func hasCode(_ system: String, _ code: String) -> (JSONObject) -> Bool {
        { resource in
            guard case .array(let codings)? = resource["code"]?["coding"] else { return false }
            return codings.contains { $0["system"] == .string(system) && $0["code"] == .string(code) }
        }
    }

    static let bibi = "475d72ca-91c7-7211-97e3-f000af33fc04"
    static let loinc = "http://loinc.org"
    static let ucum = "http://unitsofmeasure.org"

    /// The parameters whose rows a search on `code` reads.
    static func indexed(_ code: String, _ type: String) -> [String] {
        FHIRSearchDefinitions.r4.indexedCodes(code, of: type)
    }

    @Test("the fixtures load: 273 resources")
    func fixturesLoad() {
        #expect(Self.resources.count == 273)
    }

    @Test("Patient: identifiers with of-type and type text")
    func patientIdentifiers() throws {
        let patient = try Self.resource("Patient") { $0["id"] == .string(Self.bibi) }
        let entries = Self.entries(patient)
        #expect(Self.values(entries, "identifier") == [
            .token(system: "https://github.com/synthetichealth/synthea", code: Self.bibi),
            .token(system: "http://hospital.smarthealthit.org", code: Self.bibi),
            .token(system: "http://hl7.org/fhir/sid/us-ssn", code: "999-97-5872"),
        ])
        #expect(Self.values(entries, "identifier:of-type") == [
            .token(system: "http://terminology.hl7.org/CodeSystem/v2-0203", code: "MR|" + Self.bibi),
            .token(system: "http://terminology.hl7.org/CodeSystem/v2-0203", code: "SS|999-97-5872"),
        ])
        #expect(Self.values(entries, "identifier:text") == [
            .string(normalized: "medical record number", exact: "Medical Record Number"),
            .string(normalized: "social security number", exact: "Social Security Number"),
        ])
    }

    @Test("Patient: names normalised and exact, in name, family and given")
    func patientNames() throws {
        let patient = try Self.resource("Patient") { $0["id"] == .string(Self.bibi) }
        let entries = Self.entries(patient)
        let family = SearchIndexValue.string(normalized: "schowalter414", exact: "Schowalter414")
        let given = SearchIndexValue.string(normalized: "bibi254", exact: "Bibi254")
        #expect(Self.values(entries, "name") == [family, given])
        #expect(Self.values(entries, "family") == [family])
        #expect(Self.values(entries, "given") == [given])
        // R4's phonetic has name's path (no phonetic algorithm): an alias of name.
        #expect(Self.values(entries, "phonetic").isEmpty)
        #expect(Self.indexed("phonetic", "Patient") == ["name"])
        #expect(Self.values(entries, "address-city") == [.string(normalized: "westborough", exact: "Westborough")])
        #expect(Self.values(entries, "address-postalcode") == [.string(normalized: "01581", exact: "01581")])
    }

    @Test("Patient: birthdate as the day's range, gender with and without its system, phone")
    func patientBirthdateGenderPhone() throws {
        let patient = try Self.resource("Patient") { $0["id"] == .string(Self.bibi) }
        let entries = Self.entries(patient)
        let day: Int64 = 1_240_963_200_000  // 2009-04-29T00:00:00Z
        #expect(Self.values(entries, "birthdate") == [.date(low: day, high: day + 86_400_000 - 1)])
        #expect(Self.values(entries, "gender") == [
            .token(system: "http://hl7.org/fhir/administrative-gender", code: "female"),
        ])
        #expect(Self.values(entries, "phone") == [
            .token(system: "", code: "555-259-9533"), .token(system: "home", code: "555-259-9533"),
        ])
        #expect(Self.values(entries, "telecom") == Self.values(entries, "phone"))
        #expect(Self.values(entries, "email").isEmpty)
        #expect(Self.values(entries, "active").isEmpty)
        #expect(!entries.contains { $0.parameter == "_id" || $0.parameter == "_lastUpdated" })
    }

    @Test("Observation: code, value-quantity, date, subject and patient, code-value-quantity")
    func observationTemperature() throws {
        let observation = try Self.resource("Observation", where: Self.hasCode(Self.loinc, "8310-5"))
        let entries = Self.entries(observation)
        #expect(Self.values(entries, "code") == [
            .token(system: Self.loinc, code: "8310-5"), .token(system: Self.loinc, code: "8331-1"),
        ])
        #expect(Self.values(entries, "code:text") == [
            .string(normalized: "body temperature", exact: "Body temperature"),
            .string(normalized: "oral temperature", exact: "Oral temperature"),
        ])
        let value = try #require(observation["valueQuantity"]?["value"]?.indexNumber)
        let quantity = SearchIndexValue.quantity(value: value, system: Self.ucum, code: "Cel")
        #expect(Self.values(entries, "value-quantity") == [quantity])
        // Aliases are read from the parameters they repeat, and get no rows of their own.
        #expect(Self.values(entries, "combo-value-quantity").isEmpty)
        #expect(Self.indexed("combo-value-quantity", "Observation") == ["component-value-quantity", "value-quantity"])
        let instant: Int64 = 1_583_554_823_000  // 2020-03-06T20:20:23-08:00
        #expect(Self.values(entries, "date") == [.date(low: instant, high: instant + 999)])
        #expect(Self.values(entries, "subject") == [.reference(type: "Patient", id: Self.bibi)])
        #expect(Self.values(entries, "patient").isEmpty)
        #expect(Self.indexed("patient", "Observation") == ["subject"])
        #expect(Self.values(entries, "encounter").count == 1)
        #expect(Self.values(entries, "category") == [
            .token(system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "vital-signs"),
        ])
        #expect(Self.values(entries, "status") == [
            .token(system: "http://hl7.org/fhir/observation-status", code: "final"),
        ])
        #expect(Self.values(entries, "code-value-quantity") == [
            .composite(.token(system: Self.loinc, code: "8310-5"), quantity),
            .composite(.token(system: Self.loinc, code: "8331-1"), quantity),
        ])
        #expect(Self.values(entries, "combo-code-value-quantity").isEmpty)
        #expect(Self.indexed("combo-code-value-quantity", "Observation") == ["code-value-quantity", "component-code-value-quantity"])
        #expect(Self.values(entries, "component-code-value-quantity").isEmpty)
    }

    @Test("Observation: blood pressure components pair each code with its own value")
    func bloodPressureComponents() throws {
        let observation = try Self.resource("Observation", where: Self.hasCode(Self.loinc, "85354-9"))
        let entries = Self.entries(observation)
        let diastolic = SearchIndexValue.composite(
            .token(system: Self.loinc, code: "8462-4"), .quantity(value: 72, system: Self.ucum, code: "mm[Hg]"))
        let systolic = SearchIndexValue.composite(
            .token(system: Self.loinc, code: "8480-6"), .quantity(value: 116, system: Self.ucum, code: "mm[Hg]"))
        #expect(Self.values(entries, "component-code-value-quantity") == [diastolic, systolic])
        #expect(Self.values(entries, "combo-code-value-quantity").isEmpty)
        #expect(Self.values(entries, "code-value-quantity").isEmpty)
        #expect(Self.values(entries, "component-code") == [
            .token(system: Self.loinc, code: "8462-4"), .token(system: Self.loinc, code: "8480-6"),
        ])
        #expect(Self.values(entries, "component-value-quantity") == [
            .quantity(value: 72, system: Self.ucum, code: "mm[Hg]"),
            .quantity(value: 116, system: Self.ucum, code: "mm[Hg]"),
        ])
        #expect(Self.values(entries, "value-quantity").isEmpty)
    }

    @Test("Encounter: period as one range, participant and practitioner")
    func encounterPeriodParticipant() throws {
        let encounter = try Self.resource("Encounter") { $0["id"] == "dfc4abce-8135-3deb-edd9-d13635600528" }
        let entries = Self.entries(encounter)
        let start: Int64 = 1_302_150_023_000  // 2011-04-06T21:20:23-07:00
        let end: Int64 = 1_302_150_923_000  // 2011-04-06T21:35:23-07:00
        #expect(Self.values(entries, "date") == [.date(low: start, high: end + 999)])
        let practitioner = SearchIndexValue.reference(type: "Practitioner", id: "2add1d28-5ee2-3a4c-a6da-f976b9b28081")
        #expect(Self.values(entries, "participant") == [practitioner])
        #expect(Self.values(entries, "practitioner").isEmpty)
        #expect(Self.indexed("practitioner", "Encounter") == ["participant"])
        #expect(Self.values(entries, "subject") == [.reference(type: "Patient", id: Self.bibi)])
        #expect(Self.indexed("patient", "Encounter") == ["subject"])
        #expect(Self.values(entries, "class") == [.token(system: "http://terminology.hl7.org/CodeSystem/v3-ActCode", code: "AMB")])
        #expect(Self.values(entries, "participant-type") == [
            .token(system: "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", code: "PPRF"),
        ])
        #expect(Self.values(entries, "service-provider").count == 1)
    }

    @Test("Condition: onset-date, abatement-date, clinical status")
    func conditionOnset() throws {
        let condition = try Self.resource("Condition") { $0["id"] == "832563a1-14a3-e2a0-537c-78a351f9070a" }
        let entries = Self.entries(condition)
        let onset: Int64 = 1_583_554_823_000  // 2020-03-06T20:20:23-08:00
        #expect(Self.values(entries, "onset-date") == [.date(low: onset, high: onset + 999)])
        #expect(Self.values(entries, "recorded-date") == [.date(low: onset, high: onset + 999)])
        #expect(Self.values(entries, "abatement-date").count == 1)
        #expect(Self.values(entries, "clinical-status") == [
            .token(system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "resolved"),
        ])
        #expect(Self.values(entries, "code") == [.token(system: "http://snomed.info/sct", code: "49727002")])
    }

    @Test("meta: _tag, _security and _profile (with and without a version)")
    func metaParameters() throws {
        var patient = try Self.resource("Patient") { $0["id"] == .string(Self.bibi) }
        patient["meta"] = [
            "tag": [["system": "https://example.org/tags", "code": "demo", "display": "Démo"]],
            "security": [["system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "R"]],
            "profile": ["https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient|2.0.1"],
            "source": "https://example.org/feed",
        ]
        let entries = Self.entries(patient)
        #expect(Self.values(entries, "_tag") == [.token(system: "https://example.org/tags", code: "demo")])
        #expect(Self.values(entries, "_tag:text") == [.string(normalized: "demo", exact: "Démo")])
        #expect(Self.values(entries, "_security") == [
            .token(system: "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", code: "R"),
        ])
        #expect(Self.values(entries, "_profile") == [
            .token(system: "", code: "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient|2.0.1"),
            .token(system: "", code: "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient"),
        ])
        #expect(Self.values(entries, "_source") == [.token(system: "", code: "https://example.org/feed")])
    }

    @Test("repeated values are indexed once")
    func deduplication() throws {
        var patient = try Self.resource("Patient") { $0["id"] == .string(Self.bibi) }
        let name: JSON = ["family": "Smith", "given": ["Ann", "Ann"]]
        patient["name"] = [name, name, ["family": "SMITH"]]
        let entries = Self.entries(patient)
        #expect(Self.values(entries, "name") == [
            .string(normalized: "smith", exact: "Smith"),
            .string(normalized: "ann", exact: "Ann"),
            .string(normalized: "smith", exact: "SMITH"),
        ])
        #expect(Set(entries).count == entries.count)
    }

    @Test("a hostile resource with 100,000 codings gets at most 1,000 entries per parameter")
    func capPerParameter() throws {
        var observation = try Self.resource("Observation", where: Self.hasCode(Self.loinc, "8310-5"))
        let codings = (0..<100_000).map { index -> JSON in
            ["system": "http://loinc.org", "code": .string("c\(index)"), "display": .string("d\(index)")]
        }
        observation["code"] = ["coding": .array(codings)]
        let entries = Self.entries(observation)
        let code = entries.filter { $0.parameter == "code" || $0.parameter == "code:text" }
        #expect(code.count == SearchIndexer.maximumEntriesPerParameter)
        #expect(code.first == SearchIndexEntry("code", .token(system: Self.loinc, code: "c0")))
        #expect(Self.values(entries, "code-value-quantity").count == SearchIndexer.maximumEntriesPerParameter)
        #expect(Self.values(entries, "combo-code").isEmpty, "an alias of code and component-code")
        // Other parameters are unaffected.
        #expect(Self.values(entries, "value-quantity").count == 1)
    }

    @Test("accents and case fold in the normalised form and stay in the exact one")
    func accents() throws {
        var patient = try Self.resource("Patient") { $0["id"] == .string(Self.bibi) }
        patient["name"] = [["family": "Ångström", "given": ["Zoë", "François"]]]
        let entries = Self.entries(patient)
        #expect(Self.values(entries, "family") == [.string(normalized: "angstrom", exact: "Ångström")])
        #expect(Self.values(entries, "given") == [
            .string(normalized: "zoe", exact: "Zoë"), .string(normalized: "francois", exact: "François"),
        ])
    }

    @Test("every Synthea resource indexes, in a stable order, and twice gives the same")
    func everyResource() {
        var total = 0
        for resource in Self.resources {
            let type = resource.indexString("resourceType")!
            let entries = Self.indexer.entries(for: resource, type: type)
            #expect(entries == Self.indexer.entries(for: resource, type: type))
            #expect(Set(entries).count == entries.count)
            let order = Self.indexer.indexedParameters(of: type)
            let codes = entries.map { entry in
                entry.parameter.split(separator: ":").first.map(String.init) ?? entry.parameter
            }
            let positions = codes.compactMap { order.firstIndex(of: $0) }
            #expect(positions.count == codes.count)
            #expect(positions == positions.sorted())
            total += entries.count
        }
        #expect(total > 2_500)
    }
}
