import CareRecord
import FHIR
import Foundation
import Storage
import TestSupport
import Testing

@Suite("Record: batches, and the Synthea bundles")
struct RecordBatchTests {
    @Test(arguments: TestEngines.available)
    func oneBadEntryFailsAlone(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let bundle = try json(#"""
            {"resourceType": "Bundle", "type": "batch", "entry": [
              {"resource": {"resourceType": "Patient", "gender": "female"}, "request": {"method": "POST", "url": "Patient"}},
              {"resource": {"resourceType": "Patient", "gender": "often"}, "request": {"method": "POST", "url": "Patient"}},
              {"request": {"method": "GET", "url": "Patient/nobody"}},
              {"request": {"method": "FETCH", "url": "Patient"}},
              {"resource": {"resourceType": "Patient"}, "request": {"method": "POST", "url": "Patient"}}
            ]}
            """#)
        let result = try await test.record.process(bundle: bundle)
        #expect(result.response["type"] == "batch-response")
        let statuses = result.response["entry"]?.arrayValue?.map { $0["response"]?["status"]?.stringValue ?? "" }
        #expect(statuses == ["201 Created", "400 Bad Request", "404 Not Found", "400 Bad Request", "201 Created"])
        let outcome = result.response["entry"]?.arrayValue?[1]["response"]?["outcome"]
        #expect(outcome?["resourceType"] == "OperationOutcome")
        #expect(try await test.record.counts()["Patient"] == 2)
    }

    @Test(arguments: TestEngines.available)
    func syntheaBundlesLoadWithEveryReferenceResolved(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        var expected = 0
        for file in try Fixtures.syntheaFiles() {
            let bundle = try JSONParser().parse(try Data(contentsOf: file))
            expected += bundle["entry"]?.arrayValue?.count ?? 0
            let result = try await test.record.process(bundle: bundle)
            #expect(result.entries.allSatisfy { $0.result?.outcome == .created }, "\(file.lastPathComponent)")
            // A batch resolves references between its entries and says so on each such entry.
            let noted = result.response["entry"]?.arrayValue?.filter { $0["response"]?["outcome"] != nil }.count ?? 0
            #expect((noted > 0) == (result.referencesResolved > 0), "\(file.lastPathComponent)")
        }
        #expect(expected == 273)
        #expect(try await test.record.counts().values.reduce(0, +) == 273)

        // Every reference in every stored resource names a stored resource.
        var checked = 0
        for change in try await test.record.changes(after: 0, limit: 10_000) {
            for reference in references(in: try json(change.body)) where !reference.hasPrefix("#") {
                let key = try #require(ResourceKey(reference: reference), "\(reference) is not Type/id")
                _ = try await test.record.read(key)
                checked += 1
            }
        }
        #expect(checked > 900)
    }

    private func references(in value: JSON) -> [String] {
        switch value {
        case .object(let object):
            object.flatMap { member -> [String] in
                if member.key == "reference", let text = member.value.stringValue { return [text] }
                return references(in: member.value)
            }
        case .array(let array): array.flatMap(references)
        default: []
        }
    }
}
