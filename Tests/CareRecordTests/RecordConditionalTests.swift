import CareRecord
import FHIR
import Testing

@Suite("Record: conditional create, update and delete")
struct RecordConditionalTests {
    let nhs = "identifier=https://fhir.nhs.uk/Id/nhs-number|9434765919"

    @Test func conditionalCreateFindsTheExistingResource() async throws {
        let test = try TestRecord()
        let first = try await test.record.create(patient(), type: "Patient", ifNoneExist: nhs)
        #expect(first.outcome == .created)
        let second = try await test.record.create(patient(family: "Other"), type: "Patient", ifNoneExist: nhs)
        #expect(second.outcome == .existing)
        #expect(second.stored?.key == first.stored?.key)
        #expect(try await test.record.counts()["Patient"] == 1)
    }

    @Test func conditionalCreateRefusesSeveralMatches() async throws {
        let test = try TestRecord()
        _ = try await test.record.create(patient(), type: "Patient")
        _ = try await test.record.create(patient(), type: "Patient")
        let error = await #expect(throws: RecordError.self) {
            try await test.record.create(patient(), type: "Patient", ifNoneExist: nhs)
        }
        #expect(error?.kind == .multipleMatches)
        #expect(try await test.record.counts()["Patient"] == 2)
    }

    @Test func identifierTokenForms() async throws {
        let test = try TestRecord()
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

    @Test func conditionalUpdateCreatesUpdatesOrRefuses() async throws {
        let test = try TestRecord()
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

    @Test func conditionalDelete() async throws {
        let test = try TestRecord()
        #expect(try await test.record.delete(type: "Patient", matching: nhs).outcome == .nothingToDelete)
        let key = try #require(try await test.record.create(patient(), type: "Patient").stored?.key)
        #expect(try await test.record.delete(type: "Patient", matching: nhs).outcome == .deleted)
        await #expect(throws: RecordError.self) { try await test.record.read(key) }
        #expect(try await test.record.delete(type: "Patient", matching: nhs).outcome == .nothingToDelete,
                "a deleted resource no longer matches")
    }

    @Test func unsupportedParametersAreRefusedNotIgnored() throws {
        #expect(throws: RecordError.self) { try ConditionalQuery(type: "Patient", query: "name=Smith") }
        #expect(throws: RecordError.self) { try ConditionalQuery(type: "Patient", query: "identifier:of-type=x") }
        #expect(throws: RecordError.self) { try ConditionalQuery(type: "Patient", query: "") }
        #expect(throws: RecordError.self) { try ConditionalQuery(type: "Patient", query: "identifier=") }
        #expect(throws: RecordError.self) { try ConditionalQuery(type: "Nonsense", query: "_id=1") }
    }

    @Test func escapedSeparatorsAndPercentEncoding() throws {
        let query = try ConditionalQuery(type: "Patient", query: #"identifier=urn:sys|a\,b%7Cc"#)
        guard case .identifiers(let tokens) = query.clauses.first else { Issue.record("no identifier clause"); return }
        #expect(tokens.count == 1)
        #expect(tokens.first?.system == "urn:sys")
        #expect(tokens.first?.value == "a,b|c")
    }
}

@Suite("Record: conditional references outside bundles")
struct RecordConditionalReferenceTests {
    func observation(subject: String) throws -> JSON {
        try json(#"{"resourceType": "Observation", "status": "final", "code": {"text": "Pulse"}, "subject": {"reference": "\#(subject)"}}"#)
    }

    @Test func aSingleCreateResolvesItsConditionalReference() async throws {
        let test = try TestRecord()
        let key = try #require(try await test.record.create(patient(), type: "Patient").stored?.key)
        let result = try await test.record.create(
            try observation(subject: "Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9434765919"), type: "Observation")
        #expect(try json(result.stored?.body)["subject"]?["reference"] == .string(key.description))
    }

    @Test func anUnresolvableConditionalReferenceStoresNothing() async throws {
        let test = try TestRecord()
        let error = await #expect(throws: RecordError.self) {
            try await test.record.create(try observation(subject: "Patient?identifier=nobody"), type: "Observation")
        }
        #expect(error?.kind == .notFound)
        #expect(error?.issues.first?.expression == ["Observation.subject.reference"])
        #expect(try await test.record.changes(after: 0).isEmpty)
    }

    @Test func aURNInASingleResourceIsKeptAsSent() async throws {
        let test = try TestRecord()
        let urn = "urn:uuid:0b6f3c1e-2f6a-4d8e-9c7b-1a2b3c4d5e6f"
        let result = try await test.record.create(try observation(subject: urn), type: "Observation")
        #expect(try json(result.stored?.body)["subject"]?["reference"] == .string(urn))
    }
}
