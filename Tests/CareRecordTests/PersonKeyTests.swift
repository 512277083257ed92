@testable import CareRecord
import FHIR
import Foundation
import Storage
import Testing
import TestSupport

/// PostgreSQL's record is shaped for Citus (issue 5): every table holding a person's data
/// has the person as its distribution key, in every unique index and foreign key; each row
/// carries its resource's person; and the statements that serve one patient test the key on
/// every table they read, so Citus can send them to that patient's server alone.
@Suite("Record: the person as PostgreSQL's distribution key", .enabled(if: TestEngines.postgresAddress != nil))
struct PersonKeyTests {
    /// Tables that hold no one's data (Citus reference tables): parameter numbers, index state, migrations.
    private static let referenceTables: Set<String> = ["search_param", "search_state", "joinedup_migrations"]
    /// Tables about persons that are not spread by person. The audit log: one hash chain,
    /// numbered in one sequence, so it stays whole on the coordinator (a Citus local table;
    /// `AuditSchema`). Break-glass grants are about persons, but few, and read by every visibility test
    /// whoever it is about: a Citus reference table, copied to every server (`AccessGrantSchema`).
    private static let notDistributedByPerson: Set<String> = ["audit_event", "audit_entity", "access_grant"]

    @Test func everyTableWithAPersonsDataIsKeyedByPersonInEveryUniqueIndexAndForeignKey() async throws {
        let test = try await TestRecord.on(.postgres)
        let found = try await test.record.read { connection in
            let tables = try connection.fetchAll("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
                .compactMap { $0[0].string }
            let keyed = try connection.fetchAll("""
                SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema()
                AND column_name = 'person' AND data_type = 'bigint' AND is_nullable = 'NO'
                """).compactMap { $0[0].string }
            // Unique indexes (primary keys among them) without the person among their columns.
            let uniqueWithout = try connection.fetchAll("""
                SELECT c.relname || '.' || i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                JOIN pg_class c ON c.oid = x.indrelid WHERE x.indisunique AND c.relnamespace = current_schema()::regnamespace
                AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'person'
                                AND a.attnum = ANY (x.indkey))
                """).compactMap { $0[0].string }
            // Foreign keys whose columns, on either side, leave the person out.
            let foreignWithout = try connection.fetchAll("""
                SELECT f.conname FROM pg_constraint f WHERE f.contype = 'f' AND f.connamespace = current_schema()::regnamespace
                AND (NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = f.conrelid AND a.attname = 'person' AND a.attnum = ANY (f.conkey))
                  OR NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = f.confrelid AND a.attname = 'person' AND a.attnum = ANY (f.confkey)))
                """).compactMap { $0[0].string }
            let foreignKeys = try connection.fetchOne("""
                SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace
                """)?[0].int64 ?? 0
            return (tables, keyed, uniqueWithout, foreignWithout, foreignKeys)
        }
        let personTables = Set(found.0).subtracting(Self.referenceTables).subtracting(Self.notDistributedByPerson)
        #expect(personTables.isSuperset(of: ["resource", "resource_version", "search_token", "search_reference", "search_fulltext"]))
        #expect(personTables.subtracting(found.1).isEmpty, "tables without a person key: \(personTables.subtracting(found.1).sorted())")
        let personIndexesWithout = found.2.filter {
            !Self.referenceTables.union(Self.notDistributedByPerson).contains(String($0.prefix { $0 != "." }))
        }
        #expect(personIndexesWithout.isEmpty, "unique indexes without the person: \(personIndexesWithout)")
        #expect(found.3.isEmpty, "foreign keys without the person: \(found.3)")
        #expect(found.4 >= 1)
    }

    @Test func eachRowCarriesThePersonOfTheOnePatientItsResourceBelongsTo() async throws {
        let test = try await TestRecord.on(.postgres)
        let record = test.record
        let ann = try await patient(record, "Ann")
        let bob = try await patient(record, "Bob")
        let pulse = try await create(record, observation(subject: "Patient/\(ann)", text: "pulse"))
        let shared = try await create(record, #"{"resourceType":"Organization","name":"Leeds GP"}"#)
        let both = try await create(record, observation(subject: "Patient/\(ann)", performer: "Patient/\(bob)", text: "both"))
        // Encounter is in the compartment by `patient`, an alias the index holds as `subject`.
        let visit = try await create(record, #"{"resourceType":"Encounter","status":"finished","class":{"code":"AMB"},"subject":{"reference":"Patient/\#(bob)"}}"#)
        // A patient named by an absolute URL under the server's base is found by `Patient/id`
        // searches too, so it counts: with Bob as performer the observation is no one's.
        let byURL = try await create(record, observation(subject: "https://fhir.example.nhs.uk/fhir/Patient/\(ann)",
                                                         performer: "Patient/\(bob)", text: "url"))
        let persons = try await rowPersons(record)
        #expect(persons["Encounter/\(visit)"] == [PersonKey.of(patient: bob)])
        #expect(persons["Observation/\(byURL)"] == [PersonKey.shared])
        let bySubject = SearchRequest(types: ["Observation"], parameters: [QueryParameter(name: "subject", value: "Patient/\(ann)")],
                                      baseURL: "https://fhir.example.nhs.uk/fhir")
        #expect(Set(try await record.search(bySubject).page.matches.map(\.key.id)) == [pulse, both, byURL])
        #expect(persons["Patient/\(ann)"] == [PersonKey.of(patient: ann)])
        #expect(persons["Observation/\(pulse)"] == [PersonKey.of(patient: ann)])
        #expect(persons["Organization/\(shared)"] == [PersonKey.shared])
        #expect(persons["Observation/\(both)"] == [PersonKey.shared], "a resource of two patients is no one's")
        #expect(PersonKey.of(patient: ann) != PersonKey.of(patient: bob))
    }

    @Test func aResourceMovedToAnotherPatientMovesItsRowsAndIsFoundUnderItsNewPatientOnly() async throws {
        let test = try await TestRecord.on(.postgres)
        let record = test.record
        let ann = try await patient(record, "Ann")
        let bob = try await patient(record, "Bob")
        let pulse = try await create(record, observation(subject: "Patient/\(ann)", text: "pulse"))
        var corrected = try json(observation(subject: "Patient/\(bob)", text: "pulse")).objectValue ?? [:]
        corrected["id"] = .string(pulse)
        _ = try await record.update(.object(corrected), key: ResourceKey("Observation", pulse), ifMatch: nil)
        #expect(try await rowPersons(record)["Observation/\(pulse)"] == [PersonKey.of(patient: bob)])
        #expect(try await observationIDs(record, patient: bob) == [pulse])
        #expect(try await observationIDs(record, patient: ann).isEmpty)
        // The first version stays where it was written; the history reads both.
        let versions = try await record.read { connection in
            try connection.fetchAll("SELECT version, person FROM resource_version WHERE type = 'Observation' AND id = ? ORDER BY version",
                                    [.text(pulse)]).map { ($0[0].int64 ?? 0, $0[1].int64 ?? 0) }
        }
        #expect(versions.map(\.1) == [PersonKey.of(patient: ann), PersonKey.of(patient: bob)])
        // Deleting keeps the record it deletes from, and a create after it moves back.
        _ = try await record.delete(ResourceKey("Observation", pulse))
        #expect(try await observationIDs(record, patient: bob).isEmpty)
        #expect(try await rowPersons(record)["Observation/\(pulse)"] == [PersonKey.of(patient: bob)])
    }

    /// One import batch moves a resource twice (one transaction, one pending row), beside a
    /// resource that fails, so the batch is rolled back and written again a savepoint each.
    @Test func aResourceMovedTwiceInOneTransactionEndsUnderItsLastPatient() async throws {
        let test = try await TestRecord.on(.postgres)
        let record = test.record
        let ann = try await patient(record, "Ann")
        let bob = try await patient(record, "Bob")
        let cat = try await patient(record, "Cat")
        let pulse = try await create(record, observation(subject: "Patient/\(ann)", text: "pulse"))
        func moved(to patient: String) throws -> JSON {
            var object = try json(observation(subject: "Patient/\(patient)", text: "pulse")).objectValue ?? [:]
            object["id"] = .string(pulse)
            return .object(object)
        }
        // Valid, but its conditional reference matches no one: it fails as it is written.
        let broken = try json(#"""
            {"resourceType":"Observation","status":"final","code":{"text":"x"},
             "subject":{"reference":"Patient?identifier=https://example.org/ids|nobody"}}
            """#)
        let results = try await record.importResources(record.prepareImport([try moved(to: bob), broken, try moved(to: cat)]))
        #expect(results.map { if case .success = $0 { true } else { false } } == [true, false, true])
        #expect(try await rowPersons(record)["Observation/\(pulse)"] == [PersonKey.of(patient: cat)])
        #expect(try await observationIDs(record, patient: cat) == [pulse])
        #expect(try await observationIDs(record, patient: bob).isEmpty)
        #expect(try await observationIDs(record, patient: ann).isEmpty)
    }

    /// The migration itself on a store that holds resources: made with the migrations before
    /// the key, its rows written as the writer then wrote them (resources, versions, a stale
    /// index), then opened by this build.
    @Test func theMigrationKeysAStoreMadeBeforeIt() async throws {
        let address = try PostgresAddress(try TestEngines.freshSchemaAddress())
        let before = Array(CareRecordSchema.migrations.prefix { $0.name != "2026-11-25-person-key-v1" })
        #expect(CareRecordSchema.migrations[before.count].name == "2026-11-25-person-key-v1")
        let old = try await PostgresDatabase.open(address, migrations: before)
        let rows: [(type: String, id: String, body: String)] = [
            ("Patient", "ann", #"{"resourceType":"Patient","id":"ann","name":[{"family":"Ann"}]}"#),
            ("Observation", "pulse", #"{"resourceType":"Observation","id":"pulse","status":"final","code":{"text":"pulse"},"subject":{"reference":"Patient/ann"}}"#),
            ("Organization", "org", #"{"resourceType":"Organization","id":"org","name":"Leeds GP"}"#),
        ]
        try await old.write { connection in
            for (offset, row) in rows.enumerated() {
                try connection.execute("""
                    INSERT INTO resource_version (type, id, version, last_updated, method, created, body)
                    VALUES (?, ?, 1, ?, 'create', 1, CAST(? AS bytea))
                    """, [.text(row.type), .text(row.id), .integer(1_764_547_200_000 + Int64(offset)), .text(row.body)])
                try connection.execute("""
                    INSERT INTO resource (type, id, version, seq, deleted)
                    SELECT type, id, 1, seq, 0 FROM resource_version WHERE type = ? AND id = ?
                    """, [.text(row.type), .text(row.id)])
            }
        }
        old.close()
        let record = try await CareRecord.open(postgres: address, maximumReaders: 2)
        defer { record.close() }
        let persons = try await rowPersons(record)
        #expect(persons["Patient/ann"] == [PersonKey.of(patient: "ann")])
        #expect(persons["Observation/pulse"] == [PersonKey.of(patient: "ann")])
        #expect(persons["Organization/org"] == [PersonKey.shared])
        #expect(try await observationIDs(record, patient: "ann") == ["pulse"])
        #expect(try await record.read(ResourceKey("Observation", "pulse")).version == 1)
    }

    @Test func aStoreFromBeforeTheKeyGetsItsKeysWhenItNextOpens() async throws {
        let test = try await TestRecord.on(.postgres)
        let ann = try await patient(test.record, "Ann")
        let pulse = try await create(test.record, observation(subject: "Patient/\(ann)", text: "pulse"))
        // As the migration leaves a store that held resources: every key 0, the index stale.
        try await test.record.database.write { connection in
            try ValueIndexes.drop(connection)
            for table in ["resource", "resource_version"] + SearchIndexSchema.valueTables + ["search_fulltext"] {
                try connection.execute("UPDATE \(table) SET person = 0")
            }
            try ValueIndexes.build(connection)
            try connection.execute("DELETE FROM search_state WHERE name = 'index'")
        }
        let reopened = try await test.reopened()
        defer { reopened.close() }
        let persons = try await rowPersons(reopened)
        #expect(persons["Observation/\(pulse)"] == [PersonKey.of(patient: ann)])
        #expect(persons["Patient/\(ann)"] == [PersonKey.of(patient: ann)])
        #expect(try await observationIDs(reopened, patient: ann) == [pulse])
    }

    /// Every statement of a search or `$everything` for one patient, explained by the server:
    /// each scan of a table holding persons' data tests the person, but for the one probe
    /// `$everything` makes across persons for Patient records linked to the patient.
    @Test func theStatementsServingOnePatientTestThePersonOnEveryTableTheyRead() async throws {
        let test = try await TestRecord.on(.postgres)
        let record = test.record
        let ann = try await create(record, #"{"resourceType":"Patient","name":[{"family":"Ann"}],"managingOrganization":{"reference":"Organization/org"}}"#)
        _ = try await record.update(try json(#"{"resourceType":"Organization","id":"org","name":"Leeds GP"}"#),
                                    key: ResourceKey("Organization", "org"), ifMatch: nil)
        for text in ["pulse", "weight", "height"] {
            _ = try await create(record, observation(subject: "Patient/\(ann)", text: text))
        }
        let searches: [(types: [String], parameters: [(String, String)], compartment: ResourceKey?)] = [
            (["Observation"], [("patient", ann)], nil),
            (["Observation"], [("subject", "Patient/\(ann)"), ("code", "http://loinc.org|8867-4")], nil),
            (["Observation"], [("patient", ann), ("status:not", "cancelled"), ("value-quantity:missing", "false")], nil),
            (["Observation"], [("code:text", "pulse")], ResourceKey("Patient", ann)),
            (["Patient"], [("_id", ann), ("_total", "accurate")], nil),
            (["Observation"], [("patient", ann), ("_sort", "-date,_lastUpdated,code"), ("_count", "1")], nil),
        ]
        let context = record.search
        for search in searches {
            var parameters = search.parameters.map { QueryParameter(name: $0.0, value: $0.1) }
            // Every page: a later one starts after the last sort values (`_cursor`).
            for _ in 0..<3 {
                let query = try SearchQueryParser(context: context, clock: { FHIRInstant(millisecondsSince1970: 0) }).search(
                    types: search.types, parameters: parameters, strict: true, compartment: search.compartment)
                let (page, unrestricted) = try await explained(record) { connection in
                    try SearchExecutor(connection: connection, context: context).run(query)
                }
                #expect(!page.matches.isEmpty, "\(parameters)")
                #expect(unrestricted.isEmpty, "\(parameters): scans without the person: \(unrestricted)")
                guard let next = page.next else { break }
                parameters = parameters.filter { $0.name != "_cursor" } + [QueryParameter(name: "_cursor", value: next)]
            }
        }
        let (everything, unrestricted) = try await explained(record) { connection in
            try EverythingReader.run(EverythingQuery(patient: ann, since: nil, types: nil, count: 100, after: 0),
                                     context: context, on: connection)
        }
        #expect(everything.matches.count == 4)
        #expect(everything.included.map(\.key) == [ResourceKey("Organization", "org")])
        #expect(Set(unrestricted.map(\.statement)).count == 1, "only the linked-records probe reads across persons: \(unrestricted)")
        #expect(unrestricted.allSatisfy { $0.statement.contains("ref.pid IN") && $0.statement.contains("ORDER BY r.rid") })
    }

    // MARK: helpers

    /// A new Patient's id.
    private func patient(_ record: CareRecord, _ family: String) async throws -> String {
        try await create(record, #"{"resourceType":"Patient","name":[{"family":"\#(family)"}]}"#)
    }

    private func create(_ record: CareRecord, _ text: String) async throws -> String {
        let parsed = try json(text)
        return try #require(try await record.create(parsed, type: parsed["resourceType"]?.stringValue ?? "").stored?.key.id)
    }

    private func observation(subject: String, performer: String? = nil, text: String) -> String {
        let performers = performer.map { #","performer":[{"reference":"\#($0)"}]"# } ?? ""
        return #"""
            {"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}],"text":"\#(text)"},
             "subject":{"reference":"\#(subject)"}\#(performers),"valueQuantity":{"value":72,"unit":"/min"}}
            """#
    }

    private func observationIDs(_ record: CareRecord, patient: String) async throws -> [String] {
        let request = SearchRequest(types: ["Observation"], parameters: [QueryParameter(name: "patient", value: patient)])
        return try await record.search(request).page.matches.map(\.key.id)
    }

    /// The persons of each resource's rows in every table (a set: one when they agree).
    private func rowPersons(_ record: CareRecord) async throws -> [String: Set<Int64>] {
        try await record.read { connection in
            var persons: [String: Set<Int64>] = [:]
            let resources = try connection.fetchAll("SELECT rid, type, id, person FROM resource")
            for row in resources {
                guard let rid = row[0].int64, let type = row[1].string, let id = row[2].string else { continue }
                var keys: Set<Int64> = [row[3].int64 ?? -1]
                for table in SearchIndexSchema.valueTables {
                    keys.formUnion(try connection.fetchAll("SELECT DISTINCT person FROM \(table) WHERE rid = ?", [.integer(rid)])
                        .compactMap { $0[0].int64 })
                }
                keys.formUnion(try connection.fetchAll("""
                    SELECT f.person FROM search_fulltext f JOIN resource r ON r.seq = f.seq WHERE r.rid = ?
                    UNION SELECT v.person FROM resource_version v JOIN resource r ON r.seq = v.seq WHERE r.rid = ?
                    """, [.integer(rid), .integer(rid)]).compactMap { $0[0].int64 })
                persons["\(type)/\(id)"] = keys
            }
            return persons
        }
    }

    /// Runs `body` on a connection that notes each statement, then has the server explain
    /// each: the scans of person tables whose conditions leave the person out.
    private func explained<T: Sendable>(_ record: CareRecord, _ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws
        -> (T, [(statement: String, table: String)]) {
        try await record.read { connection in
            let noting = NotingConnection(connection)
            let result = try body(noting)
            var unrestricted: [(statement: String, table: String)] = []
            for (sql, arguments) in noting.statements {
                let plan = try connection.fetchOne("EXPLAIN (FORMAT JSON) " + sql, arguments)?[0].string ?? ""
                let nodes = try JSONSerialization.jsonObject(with: Data(plan.utf8)) as? [[String: Any]] ?? []
                for node in nodes { Self.scans(node["Plan"], into: &unrestricted, statement: sql) }
            }
            return (result, unrestricted)
        }
    }

    private static func scans(_ value: Any?, into unrestricted: inout [(statement: String, table: String)], statement: String) {
        guard let node = value as? [String: Any] else { return }
        if let table = node["Relation Name"] as? String, !referenceTables.contains(table) {
            let conditions = ["Index Cond", "Filter", "Recheck Cond"].compactMap { node[$0] as? String }.joined(separator: " ")
            if !conditions.contains("person") { unrestricted.append((statement, table)) }
        }
        for child in node["Plans"] as? [Any] ?? [] { scans(child, into: &unrestricted, statement: statement) }
    }
}

/// A connection that passes everything on and notes each query it is asked.
private final class NotingConnection: SQLConnection, @unchecked Sendable {
    let base: any SQLConnection
    var statements: [(String, [SQLValue])] = []

    init(_ base: any SQLConnection) { self.base = base }

    var engine: SQLEngine { base.engine }

    func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int {
        try base.execute(sql, arguments)
    }

    func fetchAll(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        statements.append((sql, arguments))
        return try base.fetchAll(sql, arguments)
    }
}
