import CareRecord
import FHIR
import Storage
import Testing
import TestSupport

@Suite("Record: JSON Patch")
struct RecordPatchTests {
    @Test(arguments: TestEngines.available)
    func patchAddsAVersion(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let key = try #require(try await test.record.create(patient(), type: "Patient").stored?.key)
        let patch = try JSONPatch(json: try json(#"[{"op": "replace", "path": "/name/0/family", "value": "Jones"}, {"op": "add", "path": "/gender", "value": "female"}]"#))
        let result = try await test.record.patch(key, with: patch)
        #expect(result.stored?.version == 2)
        #expect(result.stored?.method == .patch)
        let body = try json(try await test.record.read(key).body)
        #expect(body["gender"] == "female")
        #expect(body["name"]?.arrayValue?.first?["family"] == "Jones")
    }

    @Test(arguments: TestEngines.available)
    func aPatchThatBreaksTheResourceIsRefused(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let key = try #require(try await test.record.create(patient(), type: "Patient").stored?.key)
        for text in [#"[{"op": "add", "path": "/gender", "value": "sometimes"}]"#,
                     #"[{"op": "replace", "path": "/id", "value": "other"}]"#,
                     #"[{"op": "test", "path": "/name/0/family", "value": "Jones"}]"#,
                     #"[{"op": "remove", "path": "/nothing"}]"#] {
            let error = await #expect(throws: RecordError.self, "\(text)") {
                try await test.record.patch(key, with: try JSONPatch(json: try json(text)))
            }
            #expect(error?.kind == .unprocessable)
        }
        #expect(try await test.record.read(key).version == 1)
    }

    @Test(arguments: TestEngines.available)
    func patchHonoursIfMatch(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let key = try #require(try await test.record.create(patient(), type: "Patient").stored?.key)
        let patch = try JSONPatch(json: try json(#"[{"op": "add", "path": "/gender", "value": "male"}]"#))
        let error = await #expect(throws: RecordError.self) { try await test.record.patch(key, with: patch, ifMatch: 7) }
        #expect(error?.kind == .versionConflict)
        #expect(try await test.record.patch(key, with: patch, ifMatch: 1).stored?.version == 2)
    }
}
