@testable import CareRecord
import FHIR
import Foundation
import Storage
import Testing
import TestSupport

/// PostgreSQL's value indexes answer a search alone: each ends with the person (the
/// distribution key) and then the rid, the one thing a search wants from it, as SQLite's do by
/// being on WITHOUT ROWID tables. A store made before they carried the rid gets them on its
/// next open.
@Suite("Record: PostgreSQL's value indexes cover the rid", .enabled(if: TestEngines.postgresAddress != nil))
struct PostgresValueIndexTests {
    @Test func aNewStoresValueIndexesEndWithThePersonThenTheRid() async throws {
        let test = try await TestRecord.on(.postgres)
        let definitions = try await Self.valueIndexDefinitions(test.record)
        #expect(definitions.count == SearchIndexSchema.valueIndexes.count, "\(definitions)")
        for (name, definition) in definitions {
            #expect(definition.hasSuffix(", person, rid)"), "\(name): \(definition)")
        }
    }

    @Test func aStoreMadeBeforeTheRidWasCoveredGetsItOnItsNextOpen() async throws {
        let test = try await TestRecord.on(.postgres)
        for family in ["Graham", "Grahame", "Gray", "Morris"] {
            _ = try await test.record.create(try JSONParser().parse(#"{"resourceType":"Patient","name":[{"family":"\#(family)"}]}"#),
                                             type: "Patient")
        }
        let step = "2026-11-26-covering-value-indexes-v1"
        #expect(CareRecordSchema.migrations.contains { $0.name == step })
        // As the build before the step left a store: its indexes ending with the person, the
        // step not yet applied.
        try await test.record.database.write { connection in
            for index in SearchIndexSchema.valueIndexes {
                try connection.execute("DROP INDEX \(index.name)")
                try connection.execute(String(index.sql.dropLast()) + ", person)")
            }
            try connection.execute("DELETE FROM joinedup_migrations WHERE name = ?", [.text(step)])
        }
        for (name, definition) in try await Self.valueIndexDefinitions(test.record) {
            #expect(definition.hasSuffix(", person)"), "\(name): \(definition)")
        }
        let reopened = try await test.reopened()
        defer { reopened.close() }
        let definitions = try await Self.valueIndexDefinitions(reopened)
        #expect(definitions.count == SearchIndexSchema.valueIndexes.count)
        for (name, definition) in definitions {
            #expect(definition.hasSuffix(", person, rid)"), "\(name): \(definition)")
        }
        let found = try await reopened.search(ConditionalQuery(type: "Patient", query: "name=graham"), limit: 10)
        #expect(found.count == 2, "a surname's prefix: Graham and Grahame")
    }

    /// Each value index's definition (`CREATE INDEX ... (pid, norm, person, rid)`), by name.
    static func valueIndexDefinitions(_ record: CareRecord) async throws -> [String: String] {
        let names = SearchIndexSchema.valueIndexes.map(\.name)
        let rows = try await record.read { connection in
            try connection.fetchAll("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()")
        }
        return Dictionary(uniqueKeysWithValues: rows.compactMap { row -> (String, String)? in
            guard let name = row[0].string, names.contains(name), let definition = row[1].string else { return nil }
            return (name, definition)
        })
    }
}
