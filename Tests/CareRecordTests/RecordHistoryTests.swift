import CareRecord
import FHIR
import Storage
import Testing
import TestSupport

@Suite("Record: history and the change log")
struct RecordHistoryTests {
    @Test(arguments: TestEngines.available)
    func historyAtEachLevelIsNewestFirst(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let p = try #require(try await test.record.create(patient(), type: "Patient").stored?.key)
        _ = try await test.record.update(patient(family: "Jones", id: p.id), key: p)
        let o = try json(#"{"resourceType": "Organization", "name": "Leeds City Council"}"#)
        let org = try #require(try await test.record.create(o, type: "Organization").stored?.key)

        let instance = try await test.record.history(HistoryQuery(scope: .instance(p))).versions
        #expect(instance.map(\.version) == [2, 1])
        let type = try await test.record.history(HistoryQuery(scope: .type("Organization"))).versions
        #expect(type.map(\.key) == [org])
        let system = try await test.record.history(HistoryQuery(scope: .system)).versions
        #expect(system.map(\.key) == [org, p, p])
        #expect(system.map(\.sequence) == system.map(\.sequence).sorted(by: >))
    }

    @Test(arguments: TestEngines.available)
    func historyOfUnknownResourceIsNotFound(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        await #expect(throws: RecordError.self) {
            try await test.record.history(HistoryQuery(scope: .instance(ResourceKey("Patient", "x"))))
        }
    }

    @Test(arguments: TestEngines.available)
    func sinceFiltersByLastUpdated(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        var instants: [FHIRInstant] = []
        for n in 0..<4 {
            let stored = try #require(try await test.record.create(patient(family: "F\(n)"), type: "Patient").stored)
            instants.append(stored.lastUpdated)
        }
        let page = try await test.record.history(HistoryQuery(scope: .system, since: instants[2]))
        #expect(page.versions.map(\.lastUpdated) == [instants[3], instants[2]])
    }

    @Test(arguments: TestEngines.available)
    func pagingSeesEveryVersionOnceDespiteWritesBetweenPages(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        for n in 0..<7 { _ = try await test.record.create(patient(family: "F\(n)"), type: "Patient") }
        var seen: [Int64] = []
        var query = HistoryQuery(scope: .system, count: 3)
        var pages = 0
        while true {
            let page = try await test.record.history(query)
            seen += page.versions.map(\.sequence)
            pages += 1
            if pages == 1 { _ = try await test.record.create(patient(family: "Late"), type: "Patient") }
            guard let next = page.next else { break }
            query.before = next
        }
        #expect(pages == 3)
        #expect(seen == Array((1...7).reversed()).map(Int64.init), "the page cursor is stable while others write")
    }

    @Test(arguments: TestEngines.available)
    func theChangeLogListsEveryCommittedVersionInOrder(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let key = try #require(try await test.record.create(patient(), type: "Patient").stored?.key)
        _ = try await test.record.update(patient(family: "Jones", id: key.id), key: key)
        _ = try await test.record.delete(key)
        let changes = try await test.record.changes(after: 0)
        #expect(changes.map(\.method) == [.create, .update, .delete])
        #expect(changes.map(\.sequence) == [1, 2, 3])
        #expect(try await test.record.changes(after: 2).map(\.method) == [.delete])
        #expect(changes.last?.body == nil)
    }
}
