import Testing
@testable import FHIR

/// The generated search table, checked against what R4 defines.
@Suite("FHIR R4 search definitions")
struct SearchDefinitionsTests {
    let search = FHIRSearchDefinitions.r4

    private func param(_ code: String, _ type: String) throws -> SearchParameter {
        try #require(search.parameter(code, of: type), "\(type).\(code)")
    }

    private func members(_ path: SearchPath) -> [String] { path.steps.map(\.member) }

    @Test func patientParameters() throws {
        let birthdate = try param("birthdate", "Patient")
        #expect(birthdate.type == .date)
        #expect(birthdate.paths == [SearchPath(steps: [.init(member: "birthDate")], valueType: "date")])
        #expect(birthdate.url == "http://hl7.org/fhir/SearchParameter/individual-birthdate")

        let name = try param("name", "Patient")
        #expect(name.type == .string)
        #expect(name.paths == [SearchPath(steps: [.init(member: "name")], valueType: "HumanName")])

        let phone = try param("phone", "Patient")
        #expect(phone.type == .token)
        #expect(phone.paths == [SearchPath(
            steps: [.init(member: "telecom", filter: .init(member: "system", value: "phone"))],
            valueType: "ContactPoint")])

        let city = try param("address-city", "Patient")
        #expect(city.paths.map(members) == [["address", "city"]])
        #expect(city.paths.first?.valueType == "string")
    }

    @Test func commonParameters() throws {
        for type in ["Patient", "Observation", "Bundle", "Parameters"] {
            let all = search.parameters(of: type)
            for code in ["_id", "_lastUpdated", "_tag", "_profile", "_security", "_source"] {
                #expect(all[code] != nil, "\(type).\(code)")
            }
        }
        let updated = try param("_lastUpdated", "Patient")
        #expect(updated.type == .date)
        #expect(updated.paths == [SearchPath(steps: [.init(member: "meta"), .init(member: "lastUpdated")],
                                             valueType: "instant")])
        let tag = try param("_tag", "Patient")
        #expect(tag.type == .token && tag.paths.map(members) == [["meta", "tag"]])
        #expect(tag.paths.first?.valueType == "Coding")
        let profile = try param("_profile", "Patient")
        #expect(profile.type == .uri && profile.paths.map(members) == [["meta", "profile"]])
        let id = try param("_id", "Encounter")
        #expect(id.type == .token && id.paths == [SearchPath(steps: [.init(member: "id")], valueType: "id")])
    }

    @Test func choiceElements() throws {
        let quantity = try param("value-quantity", "Observation")
        #expect(quantity.type == .quantity)
        #expect(quantity.paths.contains(SearchPath(steps: [.init(member: "valueQuantity")], valueType: "Quantity")))

        let date = try param("date", "Observation")
        #expect(date.paths.map(members) == [["effectiveDateTime"], ["effectivePeriod"],
                                            ["effectiveTiming"], ["effectiveInstant"]])
        #expect(date.paths.map(\.valueType) == ["dateTime", "Period", "Timing", "instant"])

        let onset = try param("onset-date", "Condition")
        #expect(onset.paths.map(members) == [["onsetDateTime"], ["onsetPeriod"]])

        // An untyped choice keeps only the types the parameter can search (no performedString).
        let performed = try param("date", "Procedure")
        #expect(performed.paths.map(members) == [["performedDateTime"], ["performedPeriod"]])
    }

    @Test func references() throws {
        let subject = try param("subject", "Observation")
        #expect(subject.type == .reference)
        #expect(subject.targets.contains("Patient") && subject.targets.contains("Group"))
        #expect(subject.paths.first?.targetTypes == nil)

        let patient = try param("patient", "Observation")
        #expect(patient.paths == [SearchPath(steps: [.init(member: "subject")], valueType: "Reference",
                                             targetTypes: ["Patient"])])

        let participant = try param("participant", "Encounter")
        #expect(participant.paths.map(members) == [["participant", "individual"]])
        #expect(participant.paths.first?.valueType == "Reference")
        #expect(participant.targets == ["Practitioner", "PractitionerRole", "RelatedPerson"])
    }

    @Test func anyTargets() throws {
        // Written "*-Parameters" in the table: every resource type but Parameters, in order.
        let composedOf = try param("composed-of", "ActivityDefinition")
        #expect(composedOf.targets.count == 145 && !composedOf.targets.contains("Parameters"))
        #expect(composedOf.targets.first == "Account" && composedOf.targets.last == "VisionPrescription")
        #expect(composedOf.paths == [SearchPath(
            steps: [.init(member: "relatedArtifact", filter: .init(member: "type", value: "composed-of")),
                    .init(member: "resource")],
            valueType: "canonical")])
    }

    @Test func extensions() throws {
        let din = try param("din", "Device")
        let url = "http://hl7.org/fhir/SearchParameter/device-extensions-Device-din"
        #expect(din.paths == [SearchPath(steps: [.init(member: "extension", filter: .init(member: "url", value: url))],
                                         valueType: "Extension")])
    }

    @Test func composites() throws {
        let codeValue = try param("code-value-quantity", "Observation")
        #expect(codeValue.type == .composite)
        #expect(codeValue.paths == [SearchPath(steps: [], valueType: "Observation")])
        #expect(codeValue.components.map(\.code) == ["code", "value-quantity"])
        #expect(codeValue.components.map(\.type) == [.token, .quantity])
        #expect(codeValue.components[1].paths == [SearchPath(steps: [.init(member: "valueQuantity")],
                                                              valueType: "Quantity")])

        let component = try param("component-code-value-quantity", "Observation")
        #expect(component.paths == [SearchPath(steps: [.init(member: "component")], valueType: "BackboneElement")])
        #expect(component.components.map(\.code) == ["component-code", "component-value-quantity"])
        #expect(component.components[0].paths.map(members) == [["code"]])

        let context = try param("context-type-quantity", "ValueSet")
        #expect(context.components.map(\.code) == ["context-type", "context-quantity"])
        #expect(context.components[1].paths.map(members) == [["valueQuantity"], ["valueRange"]])
    }

    @Test func unsupported() {
        #expect(search.unsupported(of: "Bundle")["composition"] != nil)
        #expect(search.unsupported(of: "Patient")["deceased"] != nil)
        #expect(search.parameter("composition", of: "Bundle") == nil)
        #expect(search.unsupported(of: "Observation").isEmpty)
    }

    @Test func counts() {
        let types = FHIRDefinitions.r4.resourceTypes
        let supported = types.reduce(0) { $0 + search.parameters(of: $1).count }
        let unsupported = types.reduce(0) { $0 + search.unsupported(of: $1).count }
        #expect(supported == 2575)
        #expect(unsupported == 8)
        #expect(search.parameters(of: "Patient").count == 29)
        #expect(search.parameters(of: "Observation").count == 49)
    }

    @Test func compartments() {
        let patient = search.compartment("Patient")
        #expect(patient["Observation"] == ["subject", "performer"])
        #expect(patient["Encounter"] == ["patient"])
        #expect(patient["Patient"] == ["link"])
        #expect(search.compartment("Encounter")["Observation"] == ["encounter"])
        #expect(!search.compartment("Practitioner").isEmpty)
        // Every compartment parameter is a supported parameter of its type.
        for name in ["Patient", "Encounter", "RelatedPerson", "Practitioner", "Device"] {
            for (type, codes) in search.compartment(name) {
                for code in codes { #expect(search.parameter(code, of: type) != nil, "\(name): \(type).\(code)") }
            }
        }
    }

    @Test func summaryAndRequired() {
        let patient = search.summaryMembers(of: "Patient")
        #expect(patient.isSuperset(of: ["id", "meta", "name", "birthDate", "identifier", "deceasedBoolean"]))
        #expect(!patient.contains("contact") && !patient.contains("text"))
        #expect(search.requiredMembers(of: "Patient").isEmpty)
        #expect(search.requiredMembers(of: "Observation") == ["status", "code"])
        #expect(search.summaryMembers(of: "Observation").contains("valueQuantity"))
    }

    @Test func pathText() {
        let path = FHIRSearchDefinitions.path("extension[url=http://a.b/c:d].valueCoding:Coding>Patient,Group")
        #expect(path.steps == [.init(member: "extension", filter: .init(member: "url", value: "http://a.b/c:d")),
                               .init(member: "valueCoding")])
        #expect(path.valueType == "Coding" && path.targetTypes == ["Patient", "Group"])
    }
}
