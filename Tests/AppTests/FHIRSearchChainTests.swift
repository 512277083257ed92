import FHIR
import HTTPTypes
import Testing

extension FHIRServerTests {
    /// Chained parameters, reverse chaining (`_has`), `_include` and `_revinclude`, over a small
    /// record where every expected answer is known: two patients with an NHS number each, an
    /// organisation managing one of them, encounters, observations and a provenance.
    @Suite("Search: chains, _has and includes")
    struct SearchChains {
        struct Record {
            var ann = "", bob = "", org = "", annVisit = "", bobVisit = ""
            var annPulse = "", annWeight = "", bobPulse = "", provenance = ""
        }

        static let nhs = "https://fhir.nhs.uk/Id/nhs-number"

        func load(_ fhir: FHIRClient) async throws -> Record {
            var r = Record()
            r.org = try await fhir.create(["resourceType": "Organization", "name": "Northgate Surgery"])
            r.ann = try await fhir.create([
                "resourceType": "Patient", "identifier": [["system": .string(Self.nhs), "value": "9434765919"]],
                "name": [["family": "Ashworth", "given": ["Ann"]]], "managingOrganization": ["reference": .string("Organization/\(r.org)")],
            ])
            r.bob = try await fhir.create([
                "resourceType": "Patient", "identifier": [["system": .string(Self.nhs), "value": "9434765870"]],
                "name": [["family": "Baines", "given": ["Bob"]]],
            ])
            r.annVisit = try await fhir.create(encounter(r.ann, visit: "V-1"))
            r.bobVisit = try await fhir.create(encounter(r.bob, visit: "V-2"))
            r.annPulse = try await fhir.create(observation(r.ann, encounter: r.annVisit, loinc: "8867-4"))
            r.annWeight = try await fhir.create(observation(r.ann, encounter: r.annVisit, loinc: "29463-7"))
            r.bobPulse = try await fhir.create(observation(r.bob, encounter: r.bobVisit, loinc: "8867-4"))
            r.provenance = try await fhir.create([
                "resourceType": "Provenance", "recorded": "2026-01-01T00:00:00Z",
                "target": [["reference": .string("Patient/\(r.ann)")]],
                "agent": [["who": ["reference": .string("Organization/\(r.org)")]]],
            ])
            return r
        }

        func encounter(_ patient: String, visit: String) -> JSON {
            ["resourceType": "Encounter", "status": "finished",
             "identifier": [["system": "https://example.org/visit", "value": .string(visit)]],
             "class": ["system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"],
             "subject": ["reference": .string("Patient/\(patient)")]]
        }

        func observation(_ patient: String, encounter: String, loinc: String) -> JSON {
            ["resourceType": "Observation", "status": "final",
             "code": ["coding": [["system": "http://loinc.org", "code": .string(loinc)]]],
             "subject": ["reference": .string("Patient/\(patient)")],
             "encounter": ["reference": .string("Encounter/\(encounter)")]]
        }

        @Test func oneAndTwoLevelChains() async throws {
            try await TestServer.run { fhir, _ in
                let r = try await load(fhir)
                let byNHS = try await fhir.searchBundle("/fhir/Observation?subject.identifier=\(Self.nhs)%7C9434765919")
                #expect(Set(byNHS.entryIDs()) == [r.annPulse, r.annWeight])
                let typed = try await fhir.searchBundle("/fhir/Encounter?subject:Patient.name=baines")
                #expect(typed.entryIDs() == [r.bobVisit])
                let twoHops = try await fhir.searchBundle("/fhir/Observation?encounter.subject:Patient.identifier=9434765870")
                #expect(twoHops.entryIDs() == [r.bobPulse])
                let throughOrganisation = try await fhir.searchBundle("/fhir/Observation?subject:Patient.organization.name=northgate")
                #expect(Set(throughOrganisation.entryIDs()) == [r.annPulse, r.annWeight])
                // A chain combined with an ordinary parameter: both must hold.
                let both = try await fhir.searchBundle("/fhir/Observation?subject.name=ashworth&code=http://loinc.org%7C29463-7")
                #expect(both.entryIDs() == [r.annWeight])
                let none = try await fhir.searchBundle("/fhir/Observation?subject.name=nobody")
                #expect(none.entryIDs().isEmpty)
                #expect(none["total"] == 0)
            }
        }

        @Test func reverseChaining() async throws {
            try await TestServer.run { fhir, _ in
                let r = try await load(fhir)
                let pulse = try await fhir.searchBundle("/fhir/Patient?_has:Observation:subject:code=8867-4")
                #expect(Set(pulse.entryIDs()) == [r.ann, r.bob])
                let weight = try await fhir.searchBundle("/fhir/Patient?_has:Observation:subject:code=29463-7")
                #expect(weight.entryIDs() == [r.ann])
                let visit = try await fhir.searchBundle("/fhir/Patient?_has:Encounter:subject:identifier=V-2")
                #expect(visit.entryIDs() == [r.bob])
                // Nested: patients with an encounter that has a weight observation.
                let nested = try await fhir.searchBundle("/fhir/Patient?_has:Encounter:subject:_has:Observation:encounter:code=29463-7")
                #expect(nested.entryIDs() == [r.ann])
                let combined = try await fhir.searchBundle("/fhir/Patient?name=baines&_has:Observation:subject:code=29463-7")
                #expect(combined.entryIDs().isEmpty)
            }
        }

        @Test func includesAndRevincludes() async throws {
            try await TestServer.run { fhir, _ in
                let r = try await load(fhir)
                let withSubject = try await fhir.searchBundle("/fhir/Observation?code=8867-4&_include=Observation:subject")
                #expect(Set(withSubject.entryIDs()) == [r.annPulse, r.bobPulse])
                #expect(Set(withSubject.entryKeys("include")) == ["Patient/\(r.ann)", "Patient/\(r.bob)"])
                // Typed include: only targets of that type.
                let typed = try await fhir.searchBundle("/fhir/Observation?_id=\(r.annPulse)&_include=Observation:encounter:Encounter")
                #expect(typed.entryKeys("include") == ["Encounter/\(r.annVisit)"])
                // :iterate follows from included resources: observation -> patient -> organisation.
                let iterated = try await fhir.searchBundle(
                    "/fhir/Observation?_id=\(r.annPulse)&_include=Observation:subject&_include:iterate=Patient:organization")
                #expect(Set(iterated.entryKeys("include")) == ["Patient/\(r.ann)", "Organization/\(r.org)"])
                // Without :iterate, Patient:organization applies only to matches (none are patients) and is refused.
                #expect(try await fhir.get("/fhir/Observation?_include=Patient:organization").status == .badRequest)

                let record = try await fhir.searchBundle(
                    "/fhir/Patient?_id=\(r.ann)&_revinclude=Observation:subject&_revinclude=Provenance:target")
                #expect(record.entryIDs() == [r.ann])
                #expect(Set(record.entryKeys("include")) == ["Observation/\(r.annPulse)", "Observation/\(r.annWeight)",
                                                              "Provenance/\(r.provenance)"])
                // The matches are counted; included resources are not.
                #expect(record["total"] == 1)
                let wildcard = try await fhir.searchBundle("/fhir/Observation?_id=\(r.bobPulse)&_include=Observation:*")
                #expect(Set(wildcard.entryKeys("include")) == ["Patient/\(r.bob)", "Encounter/\(r.bobVisit)"])
            }
        }

        @Test func deletedResourcesAreNeitherMatchedNorFollowed() async throws {
            try await TestServer.run { fhir, _ in
                let r = try await load(fhir)
                #expect(try await fhir.delete("/fhir/Observation/\(r.annWeight)").status == .noContent)
                let weight = try await fhir.searchBundle("/fhir/Patient?_has:Observation:subject:code=29463-7")
                #expect(weight.entryIDs().isEmpty)
                let record = try await fhir.searchBundle("/fhir/Patient?_id=\(r.ann)&_revinclude=Observation:subject")
                #expect(record.entryKeys("include") == ["Observation/\(r.annPulse)"])
                // An update moves the observation to Bob: the chain follows the new reference only.
                var moved = observation(r.bob, encounter: r.bobVisit, loinc: "8867-4")
                moved = moved.setting("id", .string(r.annPulse))
                #expect(try await fhir.put("/fhir/Observation/\(r.annPulse)", moved).status == .ok)
                let bobs = try await fhir.searchBundle("/fhir/Observation?subject.name=baines")
                #expect(Set(bobs.entryIDs()) == [r.annPulse, r.bobPulse])
                let anns = try await fhir.searchBundle("/fhir/Observation?subject.name=ashworth")
                #expect(anns.entryIDs().isEmpty)
            }
        }

        /// Parameters whose values repeat another's are stored once (Observation `patient` is
        /// `subject` limited to patients; `combo-code` is `code` and `component-code`): a search
        /// on the alias must answer exactly as if it had rows of its own.
        @Test func aliasesAnswerAsTheirDefinitionsSay() async throws {
            try await TestServer.run { fhir, _ in
                let patient = try await fhir.create(["resourceType": "Patient"])
                let group = try await fhir.create(["resourceType": "Group", "type": "person", "actual": true])
                let ofPatient = try await fhir.create(["resourceType": "Observation", "status": "final",
                    "code": ["coding": [["system": "http://loinc.org", "code": "85354-9"]]],
                    "component": [["code": ["coding": [["system": "http://loinc.org", "code": "8480-6"]]],
                                   "valueQuantity": ["value": 120, "system": "http://unitsofmeasure.org", "code": "mm[Hg]"]]],
                    "subject": ["reference": .string("Patient/\(patient)")]])
                let ofGroup = try await fhir.create(["resourceType": "Observation", "status": "final",
                    "code": ["coding": [["system": "http://loinc.org", "code": "8480-6"]]],
                    "valueQuantity": ["value": 90, "system": "http://unitsofmeasure.org", "code": "mm[Hg]"],
                    "subject": ["reference": .string("Group/\(group)")]])
                #expect(try await fhir.searchBundle("/fhir/Observation?patient=\(patient)").entryIDs() == [ofPatient])
                #expect(try await fhir.searchBundle("/fhir/Observation?patient=\(group)").entryIDs().isEmpty)
                #expect(try await fhir.searchBundle("/fhir/Observation?patient=Group/\(group)").entryIDs().isEmpty)
                #expect(try await fhir.searchBundle("/fhir/Observation?subject=\(group)").entryIDs() == [ofGroup])
                #expect(try await fhir.searchBundle("/fhir/Observation?patient:missing=true").entryIDs() == [ofGroup])
                #expect(try await fhir.searchBundle("/fhir/Observation?patient:missing=false").entryIDs() == [ofPatient])
                #expect(Set(try await fhir.searchBundle("/fhir/Observation?combo-code=8480-6").entryIDs()) == [ofPatient, ofGroup])
                #expect(try await fhir.searchBundle("/fhir/Observation?code=8480-6").entryIDs() == [ofGroup])
                #expect(try await fhir.searchBundle("/fhir/Observation?combo-code-value-quantity=8480-6$gt100").entryIDs() == [ofPatient])
                #expect(try await fhir.searchBundle("/fhir/Observation?combo-value-quantity=lt100").entryIDs() == [ofGroup])
                let included = try await fhir.searchBundle("/fhir/Observation?_include=Observation:patient")
                #expect(included.entryKeys("include") == ["Patient/\(patient)"])
                let chained = try await fhir.searchBundle("/fhir/Observation?patient._id=\(patient)")
                #expect(chained.entryIDs() == [ofPatient])
                let everything = try await fhir.searchBundle("/fhir/Patient/\(patient)/$everything")
                #expect(everything.entryIDs() == [patient, ofPatient])
            }
        }

        @Test func badChainsAndIncludesAre400NamingTheParameter() async throws {
            try await TestServer.run { fhir, _ in
                _ = try await load(fhir)
                let cases: [(String, String)] = [
                    ("/fhir/Observation?subject.nonsense=1", "subject.nonsense"),
                    ("/fhir/Observation?code.name=1", "code.name"),
                    ("/fhir/Observation?subject:Medication.code=1", "subject:Medication.code"),
                    ("/fhir/Observation?subject.organization.partof.partof.name=x", "subject.organization.partof.partof.name"),
                    ("/fhir/Patient?_has:Observation:nonsense:code=1", "_has:Observation:nonsense:code"),
                    ("/fhir/Patient?_has:Nonsense:subject:code=1", "_has:Nonsense:subject:code"),
                    ("/fhir/Patient?_has:Observation:subject:nonsense=1", "_has:Observation:subject:nonsense"),
                    ("/fhir/Patient?_has:Observation=1", "_has:Observation"),
                    ("/fhir/Observation?_include=Observation:code", "_include"),
                    ("/fhir/Observation?_include=Nonsense:subject", "_include"),
                    ("/fhir/Patient?_revinclude=Observation:code", "_revinclude"),
                ]
                for (uri, parameter) in cases {
                    let response = try await fhir.get(uri)
                    try expectOutcome(response, .badRequest)
                    let expressions = try response.json().issues.flatMap(\.expression)
                    #expect(expressions.contains(parameter), "\(uri): \(expressions)")
                }
            }
        }
    }
}
