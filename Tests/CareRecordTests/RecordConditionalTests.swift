import CareRecord
import FHIR
import Storage
import TestSupport
import Testing

@Suite("Record: conditional create, update and delete")
struct RecordConditionalTests {
    let nhs = "identifier=https://fhir.nhs.uk/Id/nhs-number|9434765919"

    @Test(arguments: TestEngines.available)
    func conditionalCreateFindsTheExistingResource(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let first = try await test.record.create(patient(), type: "Patient", ifNoneExist: nhs)
        #expect(first.outcome == .created)
        let second = try await test.record.create(patient(family: "Other"), type: "Patient", ifNoneExist: nhs)
        #expect(second.outcome == .existing)
        #expect(second.stored?.key == first.stored?.key)
        #expect(try await test.record.counts()["Patient"] == 1)
    }

    @Test(arguments: TestEngines.available)
    func conditionalCreateRefusesSeveralMatches(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        _ = try await test.record.create(patient(), type: "Patient")
        _ = try await test.record.create(patient(), type: "Patient")
        let error = await #expect(throws: RecordError.self) {
            try await test.record.create(patient(), type: "Patient", ifNoneExist: nhs)
        }
        #expect(error?.kind == .multipleMatches)
        #expect(try await test.record.counts()["Patient"] == 2)
    }

    @Test(arguments: TestEngines.available)
    func identifierTokenForms(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        _ = try await test.record.create(patient(), type: "Patient")
        for query in ["identifier=9434765919", "identifier=https://fhir.nhs.uk/Id/nhs-number|", nhs,
                      "identifier=other|1,https://fhir.nhs.uk/Id/nhs-number|9434765919", "_id=id-1", "_id=id-1&\(nhs)"] {
            let found = try await test.record.search(ConditionalQuery(type: "Patient", query: query), limit: 10)
            #expect(found.count == 1, "\(query)")
        }
        for query in ["identifier=|9434765919", "identifier=other|9434765919", "_id=id-2", "_id=id-1&identifier=nope"] {
            let found = try await test.record.search(ConditionalQuery(type: "Patient", query: query), limit: 10)
            #expect(found.isEmpty, "\(query)")
        }
    }

    @Test(arguments: TestEngines.available)
    func conditionalUpdateCreatesUpdatesOrRefuses(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let created = try await test.record.update(patient(), type: "Patient", matching: nhs)
        #expect(created.outcome == .created)
        let updated = try await test.record.update(patient(family: "Jones"), type: "Patient", matching: nhs)
        #expect(updated.outcome == .updated)
        #expect(updated.stored?.key == created.stored?.key)
        _ = try await test.record.create(patient(), type: "Patient")
        let error = await #expect(throws: RecordError.self) {
            try await test.record.update(patient(family: "Brown"), type: "Patient", matching: nhs)
        }
        #expect(error?.kind == .multipleMatches)
    }

    @Test(arguments: TestEngines.available)
    func conditionalDelete(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        #expect(try await test.record.delete(type: "Patient", matching: nhs).outcome == .nothingToDelete)
        let key = try #require(try await test.record.create(patient(), type: "Patient").stored?.key)
        #expect(try await test.record.delete(type: "Patient", matching: nhs).outcome == .deleted)
        await #expect(throws: RecordError.self) { try await test.record.read(key) }
        #expect(try await test.record.delete(type: "Patient", matching: nhs).outcome == .nothingToDelete,
                "a deleted resource no longer matches")
    }

    @Test(arguments: TestEngines.available)
    func conditionsTakeAnySearch(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let smith = try #require(try await test.record.create(patient(family: "Smith"), type: "Patient").stored?.key)
        _ = try await test.record.create(patient(family: "Jones"), type: "Patient")
        // A name, a token and :missing together: issue 4 lets conditions use any search.
        let updated = try await test.record.update(patient(family: "Smith"), type: "Patient",
                                                   matching: "family=smi&identifier=https://fhir.nhs.uk/Id/nhs-number|&birthdate:missing=true")
        #expect(updated.stored?.key == smith)
        #expect(try await test.record.delete(type: "Patient", matching: "family:exact=Jones").outcome == .deleted)
        #expect(try await test.record.counts()["Patient"] == 1)
    }

    @Test(arguments: TestEngines.available)
    func badConditionsAreRefusedNotIgnored(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        _ = try await test.record.create(patient(), type: "Patient")
        // Strict: an unknown parameter, a malformed value, or a result parameter is an error,
        // never a condition quietly widened to "everything".
        for query in ["nonsense=1", "identifier:of-type=x", "birthdate=2020-13-45", "_sort=family", "_count=1",
                      "subject.name=x"] {
            let error = await #expect(throws: RecordError.self, "\(query)") {
                try await test.record.delete(type: "Patient", matching: query)
            }
            #expect(error?.kind == .invalid, "\(query)")
        }
        #expect(try await test.record.counts()["Patient"] == 1, "nothing was deleted")
        #expect(throws: RecordError.self) { try ConditionalQuery(type: "Patient", query: "") }
        #expect(throws: RecordError.self) { try ConditionalQuery(type: "Patient", query: "identifier=") }
        #expect(throws: RecordError.self) { try ConditionalQuery(type: "Nonsense", query: "_id=1") }
    }

    @Test(arguments: TestEngines.available)
    func escapedSeparatorsAndPercentEncoding(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        _ = try await test.record.create(try json(#"{"resourceType": "Patient", "identifier": [{"system": "urn:sys", "value": "a,b|c"}]}"#),
                                         type: "Patient")
        let found = try await test.record.search(try ConditionalQuery(type: "Patient", query: #"identifier=urn:sys|a\,b%7Cc"#), limit: 10)
        #expect(found.count == 1)
        let other = try await test.record.search(try ConditionalQuery(type: "Patient", query: "identifier=urn:sys|a"), limit: 10)
        #expect(other.isEmpty)
    }
}

@Suite("Record: conditional references outside bundles")
struct RecordConditionalReferenceTests {
    func observation(subject: String) throws -> JSON {
        try json(#"{"resourceType": "Observation", "status": "final", "code": {"text": "Pulse"}, "subject": {"reference": "\#(subject)"}}"#)
    }

    @Test(arguments: TestEngines.available)
    func aSingleCreateResolvesItsConditionalReference(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let key = try #require(try await test.record.create(patient(), type: "Patient").stored?.key)
        let result = try await test.record.create(
            try observation(subject: "Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9434765919"), type: "Observation")
        #expect(try json(result.stored?.body)["subject"]?["reference"] == .string(key.description))
    }

    @Test(arguments: TestEngines.available)
    func anUnresolvableConditionalReferenceStoresNothing(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let error = await #expect(throws: RecordError.self) {
            try await test.record.create(try observation(subject: "Patient?identifier=nobody"), type: "Observation")
        }
        #expect(error?.kind == .notFound)
        #expect(error?.issues.first?.expression == ["Observation.subject.reference"])
        #expect(try await test.record.changes(after: 0).isEmpty)
    }

    @Test(arguments: TestEngines.available)
    func aURNInASingleResourceIsKeptAsSent(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let urn = "urn:uuid:0b6f3c1e-2f6a-4d8e-9c7b-1a2b3c4d5e6f"
        let result = try await test.record.create(try observation(subject: urn), type: "Observation")
        #expect(try json(result.stored?.body)["subject"]?["reference"] == .string(urn))
    }
}
