import Testing
@testable import FHIR

@Suite("FHIR R4 definitions")
struct DefinitionsTests {
    let definitions = FHIRDefinitions.r4

    @Test func types() {
        #expect(definitions.resourceTypes.count == 146)
        #expect(definitions.isResourceType("Patient"))
        #expect(definitions.isResourceType("Bundle"))
        #expect(definitions.isResourceType("Parameters"))
        #expect(!definitions.isResourceType("DomainResource"))
        #expect(!definitions.isResourceType("Resource"))
        #expect(!definitions.isResourceType("patient"))
        #expect(definitions.complexTypes.contains("HumanName"))
        #expect(definitions.complexTypes.contains("Extension"))
        #expect(!definitions.complexTypes.contains("BackboneElement"))
        #expect(definitions.primitiveTypes.count == 20)
        #expect(definitions.primitiveTypes.contains("dateTime"))
    }

    @Test func elements() throws {
        let birthDate = try #require(definitions.element("birthDate", of: "Patient"))
        #expect(birthDate.kind == .primitive(.date))
        #expect(birthDate.max == 1 && birthDate.min == 0)
        let id = try #require(definitions.element("id", of: "Patient"))
        #expect(id.kind == .primitive(.id))
        let elementID = try #require(definitions.element("id", of: "HumanName"))
        #expect(elementID.kind == .primitive(.string))
        let name = try #require(definitions.element("name", of: "Patient"))
        #expect(name.isRepeating && name.kind == .complex && name.typeName == "HumanName")
        #expect(definitions.children(of: name)?["given"]?.isRepeating == true)
        let contact = try #require(definitions.element("contact", of: "Patient"))
        #expect(contact.kind == .backbone)
        #expect(definitions.children(of: contact)?["relationship"] != nil)
        let status = try #require(definitions.element("status", of: "Observation"))
        #expect(status.min == 1)
        #expect(status.requiredValueSet == "http://hl7.org/fhir/ValueSet/observation-status")
    }

    @Test func choices() throws {
        let quantity = try #require(definitions.element("valueQuantity", of: "Observation"))
        #expect(quantity.choiceGroup == "value" && quantity.path == "Observation.value[x]")
        #expect(definitions.element("valueCodeableConcept", of: "Observation")?.typeName == "CodeableConcept")
        #expect(definitions.element("valueDateTime", of: "Observation")?.kind == .primitive(.dateTime))
        #expect(definitions.element("value", of: "Observation") == nil)
        #expect(definitions.element("valueDecimal", of: "Observation") == nil)
        let extensionValues = try #require(definitions.elements(of: "Extension")).values.filter { $0.choiceGroup == "value" }
        #expect(extensionValues.count == 50)
        #expect(definitions.element(atPath: "Observation.value[x]")?.choiceGroup == "value")
    }

    @Test func contentReferences() throws {
        let nested = try #require(definitions.element(atPath: "Questionnaire.item.item"))
        #expect(nested.kind == .backbone)
        let item = try #require(definitions.element(atPath: "Questionnaire.item"))
        #expect(definitions.children(of: nested)?.keys.sorted() == definitions.children(of: item)?.keys.sorted())
        #expect(definitions.children(of: nested)?["linkId"]?.min == 1)
    }

    @Test func referenceTargets() throws {
        let subject = try #require(definitions.element("subject", of: "Observation"))
        #expect(subject.targetTypes == ["Patient", "Group", "Device", "Location"])
        let focus = try #require(definitions.element("focus", of: "Observation"))
        #expect(focus.targetTypes == nil)
    }

    @Test func everyComplexElementHasMembers() {
        for layout in definitions.layouts {
            for element in layout.elements.values {
                switch element.kind {
                case .complex, .backbone:
                    #expect(element.layoutIndex >= 0, "\(element.path) \(element.typeName)")
                case .primitive, .resource:
                    break
                }
            }
        }
    }

    @Test func valueSets() throws {
        let gender = try #require(definitions.valueSet("http://hl7.org/fhir/ValueSet/administrative-gender"))
        #expect(gender.isExpandable)
        #expect(gender.allCodes == ["male", "female", "other", "unknown"])
        #expect(gender.contains(system: "http://hl7.org/fhir/administrative-gender", code: "female") == true)
        #expect(gender.contains(system: "http://example.org", code: "female") == false)
        #expect(definitions.valueSet("http://hl7.org/fhir/ValueSet/administrative-gender|4.0.1") != nil)
        // Nested concepts of a hierarchical code system are included.
        let types = try #require(definitions.valueSet("http://hl7.org/fhir/ValueSet/resource-types"))
        #expect(types.contains(code: "Patient") == true)
        #expect(definitions.valueSet("http://hl7.org/fhir/ValueSet/mimetypes")?.isExpandable == false)
        #expect(definitions.valueSet("http://hl7.org/fhir/ValueSet/mimetypes")?.contains(code: "text/plain") == nil)
        #expect(definitions.valueSet("http://hl7.org/fhir/ValueSet/ucum-units")?.isExpandable == false)
    }
}
