import CareRecord
import FHIR
import Foundation
import Storage
import TestSupport
import Testing

@Suite("Importer: NDJSON and bundle files")
struct ImporterTests {
    func write(_ lines: [String], in test: TestRecord, name: String = "input.ndjson") throws -> String {
        let path = test.folder.appendingPathComponent(name).path
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: TestEngines.available)
    func ndjsonKeepsIDsAndReportsBadLinesByNumber(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let path = try write([
            #"{"resourceType": "Patient", "id": "p1", "gender": "female"}"#,
            #"{"resourceType": "Observation", "id": "o1", "status": "final", "code": {"text": "x"}, "subject": {"reference": "Patient/p1"}}"#,
            #"{"resourceType": "Patient", "id": "p2", "gender": "#,
            "",
            #"{"resourceType": "Patient", "id": "p3", "birthDate": "1950-02-30"}"#,
            #"{"resourceType": "Patient", "id": "p4"}"#,
        ], in: test)
        var summary = ImportSummary()
        try await Importer(record: test.record, batchSize: 2).importFile(path, into: &summary)
        #expect(summary.storedByType == ["Patient": 2, "Observation": 1])
        #expect(summary.failures.map(\.location) == ["line 3", "line 5"])
        #expect(try await test.record.read(ResourceKey("Observation", "o1")).version == 1)
        #expect(try await test.record.read(ResourceKey("Patient", "p4")).version == 1)
    }

    @Test(arguments: TestEngines.available)
    func strictStopsAtTheFirstBadRecord(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let path = try write([#"{"resourceType": "Patient", "id": "p1"}"#, "not json", #"{"resourceType": "Patient", "id": "p2"}"#], in: test)
        var summary = ImportSummary()
        await #expect(throws: Importer.Failure.self) {
            try await Importer(record: test.record, strict: true).importFile(path, into: &summary)
        }
        #expect(try await test.record.counts()["Patient"] == nil, "the batch holding the bad line was never written")
    }

    @Test(arguments: TestEngines.available)
    func reimportingTheSameFileAddsNoVersions(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let path = try write([#"{"resourceType": "Patient", "id": "p1", "gender": "male"}"#], in: test)
        var summary = ImportSummary()
        try await Importer(record: test.record).importFile(path, into: &summary)
        try await Importer(record: test.record).importFile(path, into: &summary)
        #expect(try await test.record.read(ResourceKey("Patient", "p1")).version == 1)
    }

    @Test(arguments: TestEngines.available)
    func syntheaBundleFilesImport(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        var summary = ImportSummary()
        for file in try Fixtures.syntheaFiles() {
            try await Importer(record: test.record).importFile(file.path, into: &summary)
        }
        #expect(summary.failureCount == 0)
        #expect(summary.stored == 273)
        #expect(summary.storedByType["Patient"] == 3)
        #expect(summary.referencesResolved > 900)
    }

    @Test(arguments: TestEngines.available)
    func aFileThatIsNotABundleIsRefused(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let path = try write([#"{"resourceType": "Patient"}"#], in: test, name: "single.json")
        var summary = ImportSummary()
        await #expect(throws: Importer.Failure.self) { try await Importer(record: test.record).importFile(path, into: &summary) }
    }
}

@Suite("Line reader")
struct LineReaderTests {
    @Test func overlongLinesAreSkippedNotHeld() throws {
        let test = try TestRecord()
        let path = test.folder.appendingPathComponent("long.ndjson").path
        let long = String(repeating: "x", count: 5000)
        try "first\n\(long)\nthird\r\nlast".write(toFile: path, atomically: true, encoding: .utf8)
        let reader = try LineReader(path: path, chunkSize: 64, maxLineBytes: 1000)
        var lines: [String] = []
        while let line = try reader.next() {
            switch line {
            case .text(let bytes): lines.append(String(decoding: bytes, as: UTF8.self))
            case .tooLong: lines.append("<too long at \(reader.lineNumber)>")
            }
        }
        #expect(lines == ["first", "<too long at 2>", "third", "last"])
    }
}

@Suite("Importer: Bundle files, streamed")
struct BundleFileImportTests {
    func write(_ text: String, in test: TestRecord, name: String = "bundle.json") throws -> String {
        let path = test.folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: TestEngines.available)
    func aTransactionFileWithABadEntryStoresNothing(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let path = try write(#"""
            {"resourceType": "Bundle", "type": "transaction", "entry": [
              {"fullUrl": "urn:uuid:11111111-1111-4111-8111-111111111111", "resource": {"resourceType": "Patient"}, "request": {"method": "POST", "url": "Patient"}},
              {"resource": {"resourceType": "Observation", "status": "sometimes", "code": {"text": "x"}}, "request": {"method": "POST", "url": "Observation"}}
            ]}
            """#, in: test)
        var summary = ImportSummary()
        try await Importer(record: test.record).importFile(path, into: &summary)
        #expect(summary.stored == 0)
        #expect(summary.failures.map(\.location) == ["bundle"])
        #expect(summary.failures.first?.error.issues.first?.expression.first?.hasPrefix("Bundle.entry[1].resource.status") == true)
        #expect(try await test.record.changes(after: 0).isEmpty)
    }

    @Test(arguments: TestEngines.available)
    func aBatchThatNamesItsTypeAfterItsEntriesIsImportedWithReferencesResolved(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let path = try write(#"""
            {"entry": [
              {"resource": {"resourceType": "Observation", "status": "final", "code": {"text": "x"}, "subject": {"reference": "urn:uuid:11111111-1111-4111-8111-111111111111"}}, "request": {"method": "POST", "url": "Observation"}},
              {"resource": {"resourceType": "Observation", "status": "never"}, "request": {"method": "POST", "url": "Observation"}},
              {"fullUrl": "urn:uuid:11111111-1111-4111-8111-111111111111", "resource": {"resourceType": "Patient"}, "request": {"method": "POST", "url": "Patient"}}
            ], "type": "batch", "resourceType": "Bundle"}
            """#, in: test)
        var summary = ImportSummary()
        try await Importer(record: test.record).importFile(path, into: &summary)
        #expect(summary.storedByType == ["Observation": 1, "Patient": 1])
        #expect(summary.failures.map(\.location) == ["entry 1"])
        #expect(summary.referencesResolved == 1)
        let observation = try #require(try await test.record.changes(after: 0).first { $0.key.type == "Observation" })
        let subject = try json(observation.body)["subject"]?["reference"]?.stringValue
        let patient = try #require(subject.flatMap(ResourceKey.init(reference:)))
        #expect(try await test.record.read(patient).key.type == "Patient")
    }

    @Test(arguments: TestEngines.available)
    func aTransactionFileChangingOneResourceTwiceIsRefused(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let path = try write(#"""
            {"resourceType": "Bundle", "type": "transaction", "entry": [
              {"resource": {"resourceType": "Patient", "id": "a"}, "request": {"method": "PUT", "url": "Patient/a"}},
              {"resource": {"resourceType": "Patient", "id": "b"}, "request": {"method": "PUT", "url": "Patient/b"}},
              {"request": {"method": "DELETE", "url": "Patient/a"}}
            ]}
            """#, in: test)
        var summary = ImportSummary()
        try await Importer(record: test.record).importFile(path, into: &summary)
        #expect(summary.failures.map(\.location) == ["bundle"])
        #expect(try await test.record.changes(after: 0).isEmpty)
        // The same file twice in a row: the plan tables start empty each time.
        try await Importer(record: test.record).importFile(path, into: &summary)
        #expect(summary.failures.count == 2)
    }

    @Test(arguments: TestEngines.available)
    func aMalformedBundleFileIsReportedNotFatal(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let path = try write(#"{"resourceType": "Bundle", "type": "batch", "entry": [{"resource": "#, in: test)
        var summary = ImportSummary()
        try await Importer(record: test.record).importFile(path, into: &summary)
        #expect(summary.failures.map(\.location) == ["file"])
    }
}
