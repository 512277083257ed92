import Testing
@testable import FHIR

/// Parses `text` and validates it.
private func check(_ text: String) throws -> [FHIRIssue] {
    ResourceValidator().validate(try JSONParser().parse(text))
}

/// The single issue `text` produces (fails the test when there is not exactly one).
private func single(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> FHIRIssue {
    let issues = try check(text)
    #expect(issues.count == 1, "expected one issue, got \(issues)", sourceLocation: sourceLocation)
    return try #require(issues.first, sourceLocation: sourceLocation)
}

private func expectIssue(
    _ text: String, _ code: FHIRIssue.Code, at location: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let issue = try single(text, sourceLocation: sourceLocation)
    #expect(issue.severity == .error, sourceLocation: sourceLocation)
    #expect(issue.code == code, "\(issue)", sourceLocation: sourceLocation)
    #expect(issue.expression == [location], "\(issue)", sourceLocation: sourceLocation)
}

@Suite("ResourceValidator: valid resources")
struct ValidationValidTests {
    @Test func minimalPatient() throws {
        #expect(try check(#"{"resourceType":"Patient"}"#).isEmpty)
    }

    @Test func richPatient() throws {
        let text = #"""
        {"resourceType":"Patient","id":"p-1","meta":{"versionId":"2","lastUpdated":"2024-01-02T03:04:05.123Z"},
         "text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">Jo</div>"},
         "identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9434765919",
            "extension":[{"url":"https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus",
              "valueCodeableConcept":{"coding":[{"system":"https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatus","code":"01"}]}}]},
            {"system":"urn:oid:1.2.3","value":"x"}],
         "active":true,
         "name":[{"use":"official","family":"Smith","given":["Jo",null,"Ann"],"_given":[null,{"extension":[{"url":"http://example.org/x","valueString":"middle"}]},null]}],
         "gender":"female","birthDate":"1984-02-29","_birthDate":{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/patient-birthTime","valueDateTime":"1984-02-29T10:30:00+01:00"}]},
         "deceasedBoolean":false,
         "multipleBirthInteger":2,
         "address":[{"line":["1 High St"],"postalCode":"LS1 1AA","period":{"start":"2020"}}],
         "contact":[{"relationship":[{"text":"mother"}],"organization":{"reference":"Organization/org-1"}}],
         "generalPractitioner":[{"reference":"Practitioner/pr-1/_history/3"},{"reference":"urn:uuid:6f0f0c1e-1a4b-4b7e-9d7f-0a1b2c3d4e5f"},
            {"reference":"https://example.org/fhir/Organization/o9"},{"reference":"#c1"}],
         "managingOrganization":{"reference":"Organization?identifier=https://fhir.nhs.uk/Id/ods-organization-code|X26"},
         "contained":[{"resourceType":"Organization","id":"c1","name":"Contained"}],
         "photo":[{"contentType":"image/png","data":"aGVsbG8="}]}
        """#
        #expect(try check(text).isEmpty)
    }

    @Test func observationWithChoicesAndComponents() throws {
        let text = #"""
        {"resourceType":"Observation","status":"final",
         "code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
         "subject":{"reference":"Patient/p1"},
         "effectivePeriod":{"start":"2024-05-01T10:00:00Z","end":"2024-05-01T10:05:00.5+14:00"},
         "issued":"2024-05-01T10:06:00Z",
         "valueQuantity":{"value":72.50,"unit":"beats/min","system":"http://unitsofmeasure.org","code":"/min","comparator":"<"},
         "component":[{"code":{"text":"x"},"valueTime":"23:59:60"},{"code":{"text":"y"},"valueInteger":-2147483648},
                      {"code":{"text":"z"},"valueSampledData":{"origin":{"value":0},"period":1.5e2,"dimensions":1,"data":"E U L"}}]}
        """#
        #expect(try check(text).isEmpty)
    }

    @Test func contentReferenceAndNestedBackbones() throws {
        let text = #"""
        {"resourceType":"Questionnaire","status":"active",
         "item":[{"linkId":"1","type":"group","item":[{"linkId":"1.1","type":"string","item":[{"linkId":"1.1.1","type":"display","text":"t"}]}]}]}
        """#
        #expect(try check(text).isEmpty)
    }

    @Test func bundleWithResources() throws {
        let text = #"""
        {"resourceType":"Bundle","type":"transaction","entry":[
          {"fullUrl":"urn:uuid:6f0f0c1e-1a4b-4b7e-9d7f-0a1b2c3d4e5f","resource":{"resourceType":"Patient","active":true},
           "request":{"method":"POST","url":"Patient"}},
          {"request":{"method":"DELETE","url":"Patient/1"}}]}
        """#
        #expect(try check(text).isEmpty)
    }
}

@Suite("ResourceValidator: resource type and structure")
struct ValidationStructureTests {
    @Test func notAnObject() throws {
        let issues = try check("[1]")
        #expect(issues.count == 1)
        #expect(issues.first?.code == .structure)
    }

    @Test func missingResourceType() throws {
        let issues = try check(#"{"id":"1"}"#)
        #expect(issues.map(\.code) == [.required])
    }

    @Test func unknownAndAbstractResourceTypes() throws {
        for type in ["Patiant", "DomainResource", "Resource", "HumanName", ""] {
            let issues = try check(#"{"resourceType":"\#(type)"}"#)
            #expect(issues.map(\.code) == [.value], "\(type)")
            #expect(!issues[0].diagnostics.contains("Patiant"))
        }
        #expect(try check(#"{"resourceType":7}"#).map(\.code) == [.structure])
    }

    @Test func unknownElement() throws {
        try expectIssue(#"{"resourceType":"Patient","favouriteColour":"blue"}"#, .structure, at: "Patient.favouriteColour")
        try expectIssue(#"{"resourceType":"Patient","name":[{"family":"x","nickname":"y"}]}"#, .structure,
                        at: "Patient.name[0].nickname")
        try expectIssue(#"{"resourceType":"Patient","contact":[{"gender":"male","colour":1}]}"#, .structure,
                        at: "Patient.contact[0].colour")
    }

    @Test func unknownChoiceAndTwoChoices() throws {
        try expectIssue(#"{"resourceType":"Patient","deceasedString":"yes"}"#, .structure, at: "Patient.deceasedString")
        try expectIssue(
            #"{"resourceType":"Patient","deceasedBoolean":true,"deceasedDateTime":"2020"}"#, .structure,
            at: "Patient.deceasedDateTime")
        // the bare choice name is not an element either
        try expectIssue(#"{"resourceType":"Patient","deceased":true}"#, .structure, at: "Patient.deceased")
    }

    @Test func resourceTypeOnlyAtRoot() throws {
        try expectIssue(#"{"resourceType":"Patient","name":[{"resourceType":"HumanName","family":"x"}]}"#, .structure,
                        at: "Patient.name[0].resourceType")
    }

    @Test func containedValidatedRecursively() throws {
        try expectIssue(#"{"resourceType":"Patient","contained":[{"resourceType":"Organization","nme":"x"}]}"#,
                        .structure, at: "Patient.contained[0].nme")
        try expectIssue(#"{"resourceType":"Patient","contained":[{"name":"x"}]}"#,
                        .required, at: "Patient.contained[0].resourceType")
        try expectIssue(#"{"resourceType":"Patient","contained":[{"resourceType":"Observation","code":{"text":"x"}}]}"#,
                        .required, at: "Patient.contained[0].status")
    }

    @Test func arraysAndSingletons() throws {
        try expectIssue(#"{"resourceType":"Patient","name":{"family":"x"}}"#, .structure, at: "Patient.name")
        try expectIssue(#"{"resourceType":"Patient","gender":["male"]}"#, .structure, at: "Patient.gender")
        try expectIssue(#"{"resourceType":"Patient","name":[{"given":"Jo"}]}"#, .structure, at: "Patient.name[0].given")
        try expectIssue(#"{"resourceType":"Patient","name":[{"family":["Jo"]}]}"#, .structure, at: "Patient.name[0].family")
    }

    @Test func emptyThingsAndNulls() throws {
        try expectIssue(#"{"resourceType":"Patient","name":[]}"#, .structure, at: "Patient.name")
        try expectIssue(#"{"resourceType":"Patient","name":[{}]}"#, .structure, at: "Patient.name[0]")
        try expectIssue(#"{"resourceType":"Patient","maritalStatus":{}}"#, .structure, at: "Patient.maritalStatus")
        try expectIssue(#"{"resourceType":"Patient","gender":null}"#, .structure, at: "Patient.gender")
        try expectIssue(#"{"resourceType":"Patient","name":[null]}"#, .structure, at: "Patient.name[0]")
        try expectIssue(#"{"resourceType":"Patient","name":[{"given":["a",null]}]}"#, .structure, at: "Patient.name[0].given[1]")
        try expectIssue(#"{"resourceType":"Patient","name":[{"given":["a",""]}]}"#, .value, at: "Patient.name[0].given[1]")
        try expectIssue(#"{"resourceType":"Patient","birthDate":""}"#, .value, at: "Patient.birthDate")
    }

    @Test func objectWhereAPrimitiveBelongsAndViceVersa() throws {
        try expectIssue(#"{"resourceType":"Patient","birthDate":{"value":"2000"}}"#, .structure, at: "Patient.birthDate")
        try expectIssue(#"{"resourceType":"Patient","maritalStatus":"M"}"#, .structure, at: "Patient.maritalStatus")
    }
}

@Suite("ResourceValidator: cardinality")
struct ValidationCardinalityTests {
    @Test func requiredElementsMissing() throws {
        let issues = try check(#"{"resourceType":"Observation","subject":{"reference":"Patient/1"}}"#)
        #expect(Set(issues.map(\.code)) == [.required])
        #expect(Set(issues.flatMap(\.expression)) == ["Observation.status", "Observation.code"])
    }

    @Test func requiredInBackboneAndDatatype() throws {
        try expectIssue(#"{"resourceType":"Patient","link":[{"type":"seealso"}]}"#, .required, at: "Patient.link[0].other")
        try expectIssue(#"{"resourceType":"Patient","extension":[{"valueString":"x"}]}"#, .required,
                        at: "Patient.extension[0].url")
    }

    @Test func requiredChoice() throws {
        try expectIssue(#"{"resourceType":"MedicationRequest","status":"active","intent":"order","subject":{"reference":"Patient/1"}}"#,
                        .required, at: "MedicationRequest.medication[x]")
    }

    @Test func primitiveExtensionSatisfiesRequired() throws {
        let text = #"{"resourceType":"Observation","_status":{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/data-absent-reason","valueCode":"unknown"}]},"code":{"text":"x"}}"#
        #expect(try check(text).isEmpty)
    }
}

@Suite("ResourceValidator: primitive formats")
struct ValidationPrimitiveTests {
    @Test func dates() throws {
        for good in ["2000", "2000-01", "2000-12-31", "2000-02-29", "0001-01-01"] {
            #expect(try check(#"{"resourceType":"Patient","birthDate":"\#(good)"}"#).isEmpty, "\(good)")
        }
        for bad in ["1900-02-29", "2001-02-29", "2000-13", "2000-00", "2000-04-31", "0000", "20000", "2000-1-1",
                    "2000-01-01T10:00:00Z", "2000-01-", " 2000"] {
            try expectIssue(#"{"resourceType":"Patient","birthDate":"\#(bad)"}"#, .value, at: "Patient.birthDate")
        }
    }

    @Test func dateTimes() throws {
        for good in ["2000", "2000-06", "2000-06-30", "2000-06-30T23:59:59Z", "2000-06-30T00:00:60.123+14:00",
                     "2000-06-30T12:00:00-13:59"] {
            #expect(try check(#"{"resourceType":"Patient","deceasedDateTime":"\#(good)"}"#).isEmpty, "\(good)")
        }
        for bad in ["2000-06-30T12:00:00", "2000-06-30T12:00Z", "2000-06-30T24:00:00Z", "2000-06-30T12:60:00Z",
                    "2000-06-30T12:00:61Z", "2000-06-30T12:00:00+14:30", "2000-06-30T12:00:00+1:00",
                    "2000-06T12:00:00Z", "2000-06-30 12:00:00Z", "2000-06-30T12:00:00.Z"] {
            try expectIssue(#"{"resourceType":"Patient","deceasedDateTime":"\#(bad)"}"#, .value, at: "Patient.deceasedDateTime")
        }
    }

    @Test func instantsAndTimes() throws {
        try expectIssue(#"{"resourceType":"Patient","meta":{"lastUpdated":"2020-01-01"}}"#, .value, at: "Patient.meta.lastUpdated")
        try expectIssue(#"{"resourceType":"Patient","meta":{"lastUpdated":"2020-01-01T10:00:00"}}"#, .value, at: "Patient.meta.lastUpdated")
        #expect(try check(#"{"resourceType":"Patient","meta":{"lastUpdated":"2020-01-01T10:00:00.000+00:00"}}"#).isEmpty)
        let observation = #"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueTime":"#
        #expect(try check(observation + #""07:30:00"}"#).isEmpty)
        try expectIssue(observation + #""07:30"}"#, .value, at: "Observation.valueTime")
        try expectIssue(observation + #""07:30:00Z"}"#, .value, at: "Observation.valueTime")
    }

    @Test func numbers() throws {
        let prefix = #"{"resourceType":"Observation","status":"final","code":{"text":"x"},"#
        try expectIssue(prefix + #""valueQuantity":{"value":"72"}}"#, .value, at: "Observation.valueQuantity.value")
        try expectIssue(prefix + #""valueQuantity":{"value":1e400}}"#, .value, at: "Observation.valueQuantity.value")
        try expectIssue(prefix + #""valueQuantity":{"value":true}}"#, .value, at: "Observation.valueQuantity.value")
        #expect(try check(prefix + #""valueQuantity":{"value":-1.50e-3}}"#).isEmpty)
        try expectIssue(prefix + #""valueInteger":1.5}"#, .value, at: "Observation.valueInteger")
        try expectIssue(prefix + #""valueInteger":1e3}"#, .value, at: "Observation.valueInteger")
        try expectIssue(prefix + #""valueInteger":2147483648}"#, .value, at: "Observation.valueInteger")
        try expectIssue(prefix + #""valueInteger":"3"}"#, .value, at: "Observation.valueInteger")
        try expectIssue(prefix + #""valueBoolean":"true"}"#, .value, at: "Observation.valueBoolean")
        try expectIssue(prefix + #""valueString":12}"#, .value, at: "Observation.valueString")
        try expectIssue(#"{"resourceType":"Patient","multipleBirthInteger":true}"#, .value, at: "Patient.multipleBirthInteger")
        // positiveInt and unsignedInt
        try expectIssue(#"{"resourceType":"Patient","communication":[{"language":{"text":"en"}}],"photo":[{"size":-1}]}"#,
                        .value, at: "Patient.photo[0].size")
        #expect(try check(#"{"resourceType":"Patient","photo":[{"size":0}]}"#).isEmpty)
        try expectIssue(#"{"resourceType":"Patient","contact":[{"name":{"text":"x"}}],"link":[{"other":{"reference":"Patient/1"},"type":"refer"}],"photo":[{"title":"a"}],"meta":{"versionId":"1"},"name":[{"text":"x"}],"address":[{"text":"x"}],"telecom":[{"rank":0}]}"#,
                        .value, at: "Patient.telecom[0].rank")
    }

    @Test func idsCodesAndURIs() throws {
        try expectIssue(#"{"resourceType":"Patient","id":"has space"}"#, .value, at: "Patient.id")
        try expectIssue(#"{"resourceType":"Patient","id":"\#(String(repeating: "a", count: 65))"}"#, .value, at: "Patient.id")
        try expectIssue(#"{"resourceType":"Patient","gender":" male"}"#, .value, at: "Patient.gender")
        try expectIssue(#"{"resourceType":"Patient","implicitRules":"http://x y"}"#, .value, at: "Patient.implicitRules")
        try expectIssue(#"{"resourceType":"Patient","identifier":[{"system":"urn:oid:1.02.3","value":"x"}],"meta":{"source":"u r i"}}"#,
                        .value, at: "Patient.meta.source")
        try expectIssue(#"{"resourceType":"Patient","name":[{"text":"a\u0001b"}]}"#, .value, at: "Patient.name[0].text")
    }

    @Test func base64AndXHTML() throws {
        try expectIssue(#"{"resourceType":"Patient","photo":[{"data":"abc"}]}"#, .value, at: "Patient.photo[0].data")
        try expectIssue(#"{"resourceType":"Patient","photo":[{"data":"ab=c"}]}"#, .value, at: "Patient.photo[0].data")
        #expect(try check(#"{"resourceType":"Patient","photo":[{"data":"YWJj\nZA=="}]}"#).isEmpty)
        try expectIssue(#"{"resourceType":"Patient","text":{"status":"generated","div":"<p>hi</p>"}}"#, .value,
                        at: "Patient.text.div")
    }

    @Test func diagnosticsNeverEchoValues() throws {
        let issues = try check(#"{"resourceType":"Patient","birthDate":"SECRET-1","gender":"SECRET2","id":"SECRET 3"}"#)
        #expect(issues.count == 3)
        for issue in issues { #expect(!issue.description.contains("SECRET"), "\(issue)") }
    }
}

@Suite("ResourceValidator: primitive extensions")
struct ValidationPrimitiveExtensionTests {
    @Test func singleSibling() throws {
        #expect(try check(#"{"resourceType":"Patient","_gender":{"id":"g1"}}"#).isEmpty)
        try expectIssue(#"{"resourceType":"Patient","_gender":"x"}"#, .structure, at: "Patient._gender")
        try expectIssue(#"{"resourceType":"Patient","_gender":{"colour":"x"}}"#, .structure, at: "Patient._gender.colour")
        try expectIssue(#"{"resourceType":"Patient","_name":{"id":"x"}}"#, .structure, at: "Patient._name")
        try expectIssue(#"{"resourceType":"Patient","_unknown":{"id":"x"}}"#, .structure, at: "Patient._unknown")
        try expectIssue(#"{"resourceType":"Patient","_gender":{"extension":[{"url":"http://x"}]}}"#, .invalid,
                        at: "Patient._gender.extension[0]")
    }

    @Test func alignedArrays() throws {
        try expectIssue(#"{"resourceType":"Patient","name":[{"given":["a","b"],"_given":[null]}]}"#, .structure,
                        at: "Patient.name[0]._given")
        try expectIssue(#"{"resourceType":"Patient","name":[{"given":["a",null],"_given":[{"id":"1"},null]}]}"#, .structure,
                        at: "Patient.name[0].given[1]")
        try expectIssue(#"{"resourceType":"Patient","name":[{"given":["a"],"_given":{"id":"1"}}]}"#, .structure,
                        at: "Patient.name[0]._given")
        #expect(try check(#"{"resourceType":"Patient","name":[{"_given":[{"id":"1"}]}]}"#).isEmpty)
    }
}

@Suite("ResourceValidator: extensions")
struct ValidationExtensionTests {
    @Test func valueOrNestedNotBoth() throws {
        #expect(try check(#"{"resourceType":"Patient","extension":[{"url":"http://x","extension":[{"url":"a","valueCode":"b"}]}]}"#).isEmpty)
        try expectIssue(#"{"resourceType":"Patient","extension":[{"url":"http://x","valueString":"v","extension":[{"url":"a","valueCode":"b"}]}]}"#,
                        .invalid, at: "Patient.extension[0]")
        try expectIssue(#"{"resourceType":"Patient","modifierExtension":[{"url":"http://x"}]}"#, .invalid,
                        at: "Patient.modifierExtension[0]")
        try expectIssue(#"{"resourceType":"Patient","extension":[{"url":"http://x","valueFoo":"v"}]}"#, .structure,
                        at: "Patient.extension[0].valueFoo")
        try expectIssue(#"{"resourceType":"Patient","extension":[{"url":"http://x","valueDate":"2020-02-30"}]}"#, .value,
                        at: "Patient.extension[0].valueDate")
    }
}

@Suite("ResourceValidator: bindings")
struct ValidationBindingTests {
    @Test func codeElements() throws {
        try expectIssue(#"{"resourceType":"Patient","gender":"woman"}"#, .codeInvalid, at: "Patient.gender")
        try expectIssue(#"{"resourceType":"Observation","status":"done","code":{"text":"x"}}"#, .codeInvalid, at: "Observation.status")
        try expectIssue(#"{"resourceType":"Patient","name":[{"use":"nickname"}],"telecom":[{"system":"pager","use":"car"}]}"#,
                        .codeInvalid, at: "Patient.telecom[0].use")
        try expectIssue(#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":1,"comparator":"=="}}"#,
                        .codeInvalid, at: "Observation.valueQuantity.comparator")
    }

    @Test func unexpandableValueSetsAreSkipped() throws {
        #expect(try check(#"{"resourceType":"Patient","photo":[{"contentType":"application/x-anything"}]}"#).isEmpty)
    }

    @Test func codeableConcepts() throws {
        // AllergyIntolerance.clinicalStatus is bound (required) to allergyintolerance-clinical.
        let prefix = #"{"resourceType":"AllergyIntolerance","patient":{"reference":"Patient/1"},"clinicalStatus":"#
        let system = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
        #expect(try check(prefix + #"{"coding":[{"system":"\#(system)","code":"active"}]}}"#).isEmpty)
        #expect(try check(prefix + #"{"coding":[{"system":"http://snomed.info/sct","code":"1"},{"system":"\#(system)","code":"resolved"}]}}"#).isEmpty)
        let wrongCode = try check(prefix + #"{"coding":[{"system":"\#(system)","code":"gone"}]}}"#)
        #expect(wrongCode.map(\.code) == [.codeInvalid, .codeInvalid])
        #expect(wrongCode.flatMap(\.expression) == ["AllergyIntolerance.clinicalStatus.coding[0].code", "AllergyIntolerance.clinicalStatus"])
        try expectIssue(prefix + #"{"coding":[{"system":"http://snomed.info/sct","code":"55561003"}]}}"#, .codeInvalid,
                        at: "AllergyIntolerance.clinicalStatus")
        try expectIssue(prefix + #"{"text":"active"}}"#, .codeInvalid, at: "AllergyIntolerance.clinicalStatus")
    }
}

@Suite("ResourceValidator: references")
struct ValidationReferenceTests {
    @Test func formats() throws {
        for bad in ["Patient", "Patient/", "Patient/a b", "Patiant/1", "Patient/1/_history", "Patient/1/history/2",
                    "urn:uuid:123", "urn:oid:x", "http://", "/Patient/1", "Patient/1/_history/a b"] {
            try expectIssue(#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"\#(bad)"}}"#,
                            .value, at: "Observation.subject.reference")
        }
    }

    @Test func targetTypes() throws {
        try expectIssue(#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"Medication/1"}}"#,
                        .invalid, at: "Observation.subject.reference")
        try expectIssue(#"{"resourceType":"Patient","generalPractitioner":[{"reference":"http://x.org/fhir/Patient/1/_history/2"}]}"#,
                        .invalid, at: "Patient.generalPractitioner[0].reference")
        try expectIssue(#"{"resourceType":"Patient","managingOrganization":{"reference":"Patient?name=x"}}"#,
                        .invalid, at: "Patient.managingOrganization.reference")
        // Reference(Any) accepts every type.
        #expect(try check(#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"focus":[{"reference":"Medication/1"}]}"#).isEmpty)
        #expect(try check(#"{"resourceType":"Patient","extension":[{"url":"http://x","valueReference":{"reference":"Medication/1"}}]}"#).isEmpty)
    }
}

@Suite("ResourceValidator: NHS numbers")
struct ValidationNHSNumberTests {
    @Test func identifierValues() throws {
        #expect(try check(#"{"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9000000009"}]}"#).isEmpty)
        try expectIssue(#"{"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9434765918"}]}"#,
                        .value, at: "Patient.identifier[0].value")
        try expectIssue(#"{"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number"}]}"#,
                        .required, at: "Patient.identifier[0].value")
        // Any Identifier, not only Patient.identifier.
        try expectIssue(#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"identifier":{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"0000000000"}}}"#,
                        .value, at: "Observation.subject.identifier.value")
        // Other systems are not checked.
        #expect(try check(#"{"resourceType":"Patient","identifier":[{"system":"http://council.example/id","value":"0000000000"}]}"#).isEmpty)
    }

    @Test func atMostOnePerPatient() throws {
        try expectIssue(#"{"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9000000009"},{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9434765919"}]}"#,
                        .invalid, at: "Patient.identifier")
    }
}
