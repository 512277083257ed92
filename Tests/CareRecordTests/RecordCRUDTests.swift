import CareRecord
import FHIR
import Storage
import Testing
import TestSupport

@Suite("Record: create, read, update, delete")
struct RecordCRUDTests {
    @Test(arguments: TestEngines.available)
    func createAssignsIDVersionAndMeta(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let result = try await test.record.create(patient(id: "client-chosen"), type: "Patient")
        #expect(result.outcome == .created)
        let stored = try #require(result.stored)
        #expect(stored.key == ResourceKey("Patient", "id-1"), "the server assigns ids on create, ignoring the body's")
        #expect(stored.version == 1)
        let body = try json(stored.body)
        #expect(body["id"] == "id-1")
        #expect(body["meta"]?["versionId"] == "1")
        #expect(body["meta"]?["lastUpdated"] == .string(stored.lastUpdated.description))
        #expect(body.objectValue?.keys.prefix(3) == ["resourceType", "id", "meta"])

        let read = try await test.record.read(stored.key)
        #expect(read.body == stored.body)
    }

    /// Many reads at once (on PostgreSQL gathered into shared statements) each answer for
    /// their own id: the current version, gone for a deletion, not found for no resource.
    @Test(arguments: TestEngines.available)
    func concurrentReadsEachAnswerForTheirOwnID(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        var keys: [ResourceKey] = []
        for n in 0..<30 {
            keys.append(try #require(try await test.record.create(patient(family: "Family\(n)"), type: "Patient").stored?.key))
        }
        for key in keys[0..<5] { _ = try await test.record.delete(key) }
        _ = try await test.record.update(patient(family: "Renamed", id: keys[5].id), key: keys[5])
        let record = test.record
        let asked = (0..<300).map { n in n % 31 == 30 ? ResourceKey("Patient", "missing-\(n)") : keys[n % 31] }
        let answers = await withTaskGroup(of: (Int, String).self) { group in
            for (n, key) in asked.enumerated() {
                group.addTask {
                    do {
                        let body = try json(try await record.read(key).body)
                        return (n, "\(body["id"]?.stringValue ?? "?") \(body["name"]?.arrayValue?.first?["family"]?.stringValue ?? "?")")
                    } catch let error as RecordError {
                        return (n, "\(error.kind)")
                    } catch {
                        return (n, "\(error)")
                    }
                }
            }
            return await group.reduce(into: [Int: String]()) { $0[$1.0] = $1.1 }
        }
        for (n, key) in asked.enumerated() {
            let index = keys.firstIndex(of: key)
            let expected = switch index {
            case nil: "notFound"
            case let index? where index < 5: "gone"
            case 5: "\(key.id) Renamed"
            case let index?: "\(key.id) Family\(index)"
            }
            #expect(answers[n] == expected, "read \(n) of \(key)")
        }
    }

    @Test(arguments: TestEngines.available)
    func updateAddsAVersionAndKeepsTheOldOne(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let key = try #require(try await test.record.create(patient(), type: "Patient").stored?.key)
        let updated = try await test.record.update(patient(family: "Jones", id: key.id), key: key)
        #expect(updated.outcome == .updated)
        #expect(updated.stored?.version == 2)
        #expect(try json(try await test.record.read(key).body)["name"]?.arrayValue?.first?["family"] == "Jones")
        #expect(try json(try await test.record.read(key, version: 1).body)["name"]?.arrayValue?.first?["family"] == "Smith")
    }

    @Test(arguments: TestEngines.available)
    func anUnchangedUpdateAddsNoVersion(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let key = try #require(try await test.record.create(patient(), type: "Patient").stored?.key)
        let again = try await test.record.update(patient(id: key.id), key: key)
        #expect(again.outcome == .unchanged)
        #expect(again.stored?.version == 1)
        #expect(try await test.record.history(HistoryQuery(scope: .instance(key))).versions.count == 1)
    }

    @Test(arguments: TestEngines.available)
    func updateAsCreateKeepsTheClientsID(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let key = ResourceKey("Patient", "nhs-9434765919")
        let result = try await test.record.update(patient(id: key.id), key: key)
        #expect(result.outcome == .created)
        #expect(result.stored?.version == 1)
        #expect(try await test.record.read(key).version == 1)
    }

    @Test(arguments: TestEngines.available)
    func updateRefusesAMissingOrDifferentID(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let key = ResourceKey("Patient", "a")
        await #expect(throws: RecordError.self) { try await test.record.update(patient(), key: key) }
        await #expect(throws: RecordError.self) { try await test.record.update(patient(id: "b"), key: key) }
        #expect(try await test.record.counts().isEmpty)
    }

    @Test(arguments: TestEngines.available)
    func staleIfMatchChangesNothing(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let key = try #require(try await test.record.create(patient(), type: "Patient").stored?.key)
        _ = try await test.record.update(patient(family: "Jones", id: key.id), key: key, ifMatch: 1)
        let error = await #expect(throws: RecordError.self) {
            try await test.record.update(patient(family: "Brown", id: key.id), key: key, ifMatch: 1)
        }
        #expect(error?.kind == .versionConflict)
        #expect(try await test.record.read(key).version == 2)
    }

    @Test(arguments: TestEngines.available)
    func deleteIsLogicalAndReversible(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let key = try #require(try await test.record.create(patient(), type: "Patient").stored?.key)
        let deleted = try await test.record.delete(key)
        #expect(deleted.outcome == .deleted)
        #expect(deleted.stored?.version == 2)
        let gone = await #expect(throws: RecordError.self) { try await test.record.read(key) }
        #expect(gone?.kind == .gone)
        #expect(try await test.record.read(key, version: 1).version == 1)
        #expect(try await test.record.delete(key).outcome == .nothingToDelete, "deleting twice is harmless")

        let revived = try await test.record.update(patient(id: key.id), key: key)
        #expect(revived.outcome == .created)
        #expect(revived.stored?.version == 3)
        let versions = try await test.record.history(HistoryQuery(scope: .instance(key))).versions
        #expect(versions.map(\.version) == [3, 2, 1])
        #expect(versions.map(\.method) == [.update, .delete, .create])
    }

    @Test(arguments: TestEngines.available)
    func readOfUnknownIsNotFound(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let error = await #expect(throws: RecordError.self) { try await test.record.read(ResourceKey("Patient", "nobody")) }
        #expect(error?.kind == .notFound)
        #expect(try await test.record.delete(ResourceKey("Patient", "nobody")).outcome == .nothingToDelete)
    }

    @Test(arguments: TestEngines.available)
    func invalidResourcesAreRefusedAndNothingIsStored(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let bad = try json(#"{"resourceType": "Patient", "birthDate": "1950-13-45", "colour": "blue"}"#)
        let error = await #expect(throws: RecordError.self) { try await test.record.create(bad, type: "Patient") }
        #expect(error?.kind == .invalid)
        let locations = Set(error?.issues.flatMap(\.expression) ?? [])
        #expect(locations.contains("Patient.birthDate"))
        #expect(locations.contains { $0.contains("colour") })
        #expect(try await test.record.changes(after: 0).isEmpty)
    }

    @Test(arguments: TestEngines.available)
    func aResourceOfAnotherTypeIsRefused(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        await #expect(throws: RecordError.self) { try await test.record.create(patient(), type: "Observation") }
    }

    @Test(arguments: TestEngines.available)
    func lastUpdatedNeverGoesBackwards(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let first = try #require(try await test.record.create(patient(), type: "Patient").stored)
        let second = try #require(try await test.record.update(patient(family: "Jones", id: first.key.id), key: first.key).stored)
        #expect(second.lastUpdated > first.lastUpdated)
    }
}
