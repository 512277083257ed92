import CareRecord
import FHIR
import Foundation
import Storage
import SyntheticArea
import Testing
import TestSupport

/// `joinedup migrate`'s copy: a synthetic area and the Synthea bundles, with updates and
/// deletions, moved from SQLite to PostgreSQL and back, keep every version, the change log and
/// every search answer.
@Suite("Record: a whole record copied between engines", .enabled(if: TestEngines.postgresAddress != nil))
struct RecordCopyTests {
    /// A synthetic area of 40 people, the Synthea bundles, and later versions and deletions.
    private func sourceRecord() async throws -> TestRecord {
        let test = try TestRecord()
        let generator = AreaGenerator(options: GeneratorOptions(people: 40, seed: 5, start: FHIRInstant(parsing: "2024-04-01")!,
                                                                months: 12))
        var area: [JSON] = []
        try generator.generate { area.append($0) }
        let results = try await test.record.importResources(area)
        #expect(results.allSatisfy { (try? $0.get()) != nil })
        for file in try Fixtures.syntheaFiles() {
            _ = try await test.record.process(bundle: try JSONParser().parse(try Data(contentsOf: file)))
        }
        let patients = try await search(test.record, "Patient", [("_sort", "_id"), ("_count", "6")]).ids
            .map { String($0.dropFirst("Patient/".count)) }
        for id in patients.prefix(3) {
            var patient = try json(try await test.record.read(ResourceKey("Patient", id)).body).objectValue!
            patient["active"] = false
            _ = try await test.record.update(.object(patient), key: ResourceKey("Patient", id))
        }
        for id in patients.suffix(2) { _ = try await test.record.delete(ResourceKey("Patient", id)) }
        return test
    }

    private func search(_ record: CareRecord, _ type: String, _ parameters: [(String, String)]) async throws
        -> (ids: [String], included: [String], total: Int?) {
        let request = SearchRequest(types: [type], parameters: parameters.map { QueryParameter(name: $0.0, value: $0.1) })
        let page = try await record.search(request).page
        return (page.matches.map { "\($0.key.type)/\($0.key.id)" }, page.included.map { "\($0.key.type)/\($0.key.id)" }.sorted(),
                page.total)
    }

    /// Searches of every kind, with values taken from the record itself.
    private func searches(_ record: CareRecord) async throws -> [(String, [(String, String)])] {
        let first = try await record.read(ResourceKey("Patient", try #require(
            try await search(record, "Patient", [("_sort", "_id"), ("_count", "1")]).ids.first).split(separator: "/")[1].description))
        let patient = try json(first.body)
        let family = try #require(patient["name"]?.arrayValue?.first?["family"]?.stringValue)
        return [
            ("Patient", [("_sort", "family,_id"), ("_count", "50"), ("_total", "accurate")]),
            ("Patient", [("family", family)]),
            ("Patient", [("birthdate", "lt1960-01-01"), ("_sort", "birthdate,_id")]),
            ("Patient", [("active", "false")]),
            ("Patient", [("_content", family)]),
            ("Encounter", [("_sort", "-date,_id"), ("_count", "100"), ("_total", "accurate")]),
            ("Encounter", [("subject.gender", "female"), ("_sort", "_id"), ("_count", "100")]),
            ("Patient", [("_has:Encounter:subject:status", "finished"), ("_sort", "_id")]),
            ("Observation", [("_sort", "_lastUpdated,_id"), ("_count", "100")]),
            ("Patient", [("_id", first.key.id), ("_revinclude", "Encounter:subject")]),
            ("Condition", [("_sort", "_id"), ("_count", "100"), ("_include", "Condition:subject")]),
        ]
    }

    @Test func sqliteToPostgresAndBackKeepsEveryVersionAndEverySearchAnswer() async throws {
        let source = try await sourceRecord()
        let digest = try await source.record.digest()
        #expect(digest.versions > digest.resources && digest.liveByType["Patient", default: 0] > 30)

        let postgresAddress = try PostgresAddress(try TestEngines.freshSchemaAddress())
        let postgres = try await CareRecord.open(postgres: postgresAddress)
        try await RecordCopy(from: source.record, to: postgres).run()
        postgres.close()
        let onPostgres = try await CareRecord.open(postgres: postgresAddress)  // builds the search index
        defer { onPostgres.close() }
        #expect(try await onPostgres.digest() == digest)

        let back = try TestRecord()
        try await RecordCopy(from: onPostgres, to: back.record).run()
        let backAgain = try CareRecord(path: back.path)
        #expect(try await backAgain.digest() == digest)

        for (type, parameters) in try await searches(source.record) {
            let expected = try await search(source.record, type, parameters)
            #expect(!expected.ids.isEmpty, "\(type) \(parameters) finds something")
            #expect(try await search(onPostgres, type, parameters) == expected, "\(type) \(parameters) on PostgreSQL")
            #expect(try await search(backAgain, type, parameters) == expected, "\(type) \(parameters) back on SQLite")
        }
        // The change log reads the same, position for position, and goes on from the same place.
        #expect(try await onPostgres.changes(after: 0, limit: 100_000) == (try await source.record.changes(after: 0, limit: 100_000)))
        let next = try #require(try await onPostgres.create(patient(family: "After"), type: "Patient").stored)
        #expect(next.sequence > (try await source.record.changes(after: 0, limit: 100_000).last?.sequence ?? .max))
        // And the digest sees one write more.
        #expect(try await onPostgres.digest().differences(from: digest).count >= 3)
    }

    @Test func aTargetThatHoldsResourcesIsRefusedAndKeptAsItWas() async throws {
        let source = try await sourceRecord()
        let target = try TestRecord()
        _ = try await target.record.create(patient(family: "Already"), type: "Patient")
        let before = try await target.record.digest()
        await #expect(throws: RecordCopyError.self) { try await RecordCopy(from: source.record, to: target.record).run() }
        #expect(try await target.record.digest() == before)
    }
}
