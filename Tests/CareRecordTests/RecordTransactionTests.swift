import CareRecord
import FHIR
import Storage
import TestSupport
import Testing

@Suite("Record: transaction bundles")
struct RecordTransactionTests {
    func entry(_ resource: JSON, method: String, url: String, fullUrl: String? = nil, extra: JSONObject = [:]) -> JSON {
        var request: JSONObject = ["method": .string(method), "url": .string(url)]
        for member in extra { request[member.key] = member.value }
        var entry: JSONObject = ["request": .object(request)]
        if resource != .null { entry["resource"] = resource }
        if let fullUrl { entry["fullUrl"] = .string(fullUrl) }
        return .object(entry)
    }

    func bundle(_ type: String, _ entries: [JSON]) -> JSON {
        ["resourceType": "Bundle", "type": .string(type), "entry": .array(entries)]
    }

    func observation(subject: String, status: String = "final") -> JSON {
        ["resourceType": "Observation", "status": .string(status), "code": ["text": "Heart rate"],
         "subject": ["reference": .string(subject)]]
    }

    @Test(arguments: TestEngines.available)
    func urnReferencesAreRewrittenToTheNewIDs(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let patientURL = "urn:uuid:4b3b1c6e-0f4c-4e7b-9d0a-1a2b3c4d5e6f"
        // The observation comes first: identities are fixed before any entry runs.
        let result = try await test.record.process(bundle: bundle("transaction", [
            entry(observation(subject: patientURL), method: "POST", url: "Observation"),
            entry(patient(), method: "POST", url: "Patient", fullUrl: patientURL),
        ]))
        #expect(result.response["type"] == "transaction-response")
        let entries = try #require(result.response["entry"]?.arrayValue)
        #expect(entries.map { $0["response"]?["status"] } == ["201 Created", "201 Created"])
        let patientLocation = try #require(entries[1]["response"]?["location"]?.stringValue)
        #expect(patientLocation.hasPrefix("Patient/"))
        let observationKey = try #require(result.entries[0].result?.stored?.key)
        let stored = try json(try await test.record.read(observationKey).body)
        #expect(stored["subject"]?["reference"] == .string(String(patientLocation.prefix { $0 != "_" }.dropLast())))
        #expect(result.referencesResolved == 1)
    }

    @Test(arguments: TestEngines.available)
    func oneBadEntryFailsTheWholeTransaction(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let error = await #expect(throws: RecordError.self) {
            try await test.record.process(bundle: bundle("transaction", [
                entry(patient(), method: "POST", url: "Patient"),
                entry(observation(subject: "Patient/x", status: "not-a-status"), method: "POST", url: "Observation"),
            ]))
        }
        #expect(error?.kind == .invalid)
        #expect(error?.issues.first?.expression.first?.hasPrefix("Bundle.entry[1]") == true)
        #expect(try await test.record.changes(after: 0).isEmpty, "nothing of a failed transaction is stored")
    }

    @Test(arguments: TestEngines.available)
    func aFailureLateInTheTransactionUndoesEarlierWrites(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let key = try #require(try await test.record.create(patient(), type: "Patient").stored?.key)
        await #expect(throws: RecordError.self) {
            try await test.record.process(bundle: bundle("transaction", [
                entry(patient(family: "Changed", id: "new"), method: "PUT", url: "Patient/new"),
                entry(patient(family: "Stale", id: key.id), method: "PUT", url: "Patient/\(key.id)", extra: ["ifMatch": "W/\"9\""]),
            ]))
        }
        #expect(try await test.record.changes(after: 0).count == 1)
    }

    @Test(arguments: TestEngines.available)
    func deletesRunBeforeCreatesAndOverlapsAreRefused(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        _ = try await test.record.update(patient(id: "old"), key: ResourceKey("Patient", "old"))
        // The create asks for none to exist; it creates only because the delete runs first.
        let result = try await test.record.process(bundle: bundle("transaction", [
            entry(patient(), method: "POST", url: "Patient", extra: ["ifNoneExist": "identifier=https://fhir.nhs.uk/Id/nhs-number|9434765919"]),
            entry(.null, method: "DELETE", url: "Patient/old"),
        ]))
        #expect(result.entries.map { $0.result?.outcome } == [.created, .deleted])

        let error = await #expect(throws: RecordError.self) {
            try await test.record.process(bundle: bundle("transaction", [
                entry(patient(id: "a"), method: "PUT", url: "Patient/a"),
                entry(.null, method: "DELETE", url: "Patient/a"),
            ]))
        }
        #expect(error?.kind == .invalid)
    }

    @Test(arguments: TestEngines.available)
    func conditionalReferencesResolveToTheOneMatch(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let key = try #require(try await test.record.create(patient(), type: "Patient").stored?.key)
        let result = try await test.record.process(bundle: bundle("transaction", [
            entry(observation(subject: "Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9434765919"),
                  method: "POST", url: "Observation"),
        ]))
        let stored = try json(try await test.record.read(try #require(result.entries[0].result?.stored?.key)).body)
        #expect(stored["subject"]?["reference"] == .string(key.description))

        await #expect(throws: RecordError.self) {
            try await test.record.process(bundle: bundle("transaction", [
                entry(observation(subject: "Patient?identifier=nobody"), method: "POST", url: "Observation"),
            ]))
        }
    }

    @Test(arguments: TestEngines.available)
    func anUnresolvedURNIsRefused(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        await #expect(throws: RecordError.self) {
            try await test.record.process(bundle: bundle("transaction", [
                entry(observation(subject: "urn:uuid:00000000-0000-4000-8000-000000000000"), method: "POST", url: "Observation"),
            ]))
        }
    }

    @Test(arguments: TestEngines.available)
    func getEntriesReadAfterTheWrites(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let result = try await test.record.process(bundle: bundle("transaction", [
            entry(.null, method: "GET", url: "Patient?identifier=9434765919"),
            entry(patient(), method: "POST", url: "Patient"),
        ]))
        let search = try #require(result.response["entry"]?.arrayValue?.first?["resource"])
        #expect(search["total"] == 1)
    }

    @Test(arguments: TestEngines.available)
    func tenThousandEntriesInOneTransaction(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let patientURL = "urn:uuid:7f000000-0000-4000-8000-000000000001"
        var entries = [entry(patient(), method: "POST", url: "Patient", fullUrl: patientURL)]
        for _ in 1..<10_000 { entries.append(entry(observation(subject: patientURL), method: "POST", url: "Observation")) }
        let result = try await test.record.process(bundle: bundle("transaction", entries))
        #expect(result.entries.count == 10_000)
        #expect(result.entries.allSatisfy { $0.result?.outcome == .created })
        #expect(try await test.record.counts() == ["Patient": 1, "Observation": 9_999])
    }

    @Test(arguments: TestEngines.available)
    func onlyTransactionsAndBatchesArePosted(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        await #expect(throws: RecordError.self) { try await test.record.process(bundle: bundle("collection", [])) }
        await #expect(throws: RecordError.self) { try await test.record.process(bundle: patient()) }
    }
}
