import CareRecord
import GRDB
import Storage

/// Which demo area a store holds, and whether its load finished, kept in the store itself so
/// that it travels with the file. A count of patients could not tell a finished load from
/// one cut short by Ctrl-C, nor a demo store from someone's real one.
///
/// The table is created on demand rather than by a `Migration`: migrations are the record's
/// schema, and a store opened without `--demo` must not count this one as unknown (a newer
/// schema is refused).
struct DemoAreaMarker: Sendable {
    struct Entry: Sendable, Equatable {
        var people: Int
        var seed: UInt64
        var start: String
        var months: Int
        /// `AreaGenerator.version`: the same seed gives a different area after the generator changes.
        var generator: String
        /// False from the moment a load begins until its last resource is committed.
        var complete: Bool
        var resources: Int

        /// Whether this entry describes the same area as `other`, whatever the state of its load.
        func sameArea(as other: Entry) -> Bool {
            people == other.people && seed == other.seed && start == other.start && months == other.months
                && generator == other.generator
        }

        var summary: String { "\(people) people, seed \(seed), from \(start) for \(months) months, generator \(generator)" }
    }

    let database: SQLiteDatabase

    func read() async throws -> Entry? {
        try await database.pool.read { db in
            guard try db.tableExists("joinedup_demo_area") else { return nil }
            // Stores made before the generator was versioned have no such column.
            let versioned = try db.columns(in: "joinedup_demo_area").contains { $0.name == "generator" }
            guard let row = try Row.fetchOne(db, sql: """
                SELECT people, seed, start, months, complete, resources, \(versioned ? "generator" : "'unversioned'") FROM joinedup_demo_area
                """) else { return nil }
            // The seed is kept as text: SQLite integers are signed and a seed may use all 64 bits.
            return Entry(people: row[0], seed: UInt64(row[1] as String) ?? 0, start: row[2], months: row[3],
                         generator: row[6], complete: row[4], resources: row[5])
        }
    }

    func write(_ entry: Entry) async throws {
        try await database.pool.write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS joinedup_demo_area (
                    people INTEGER NOT NULL, seed TEXT NOT NULL, start TEXT NOT NULL, months INTEGER NOT NULL,
                    complete INTEGER NOT NULL, resources INTEGER NOT NULL, written TEXT NOT NULL,
                    generator TEXT NOT NULL DEFAULT 'unversioned')
                """)
            if try !db.columns(in: "joinedup_demo_area").contains(where: { $0.name == "generator" }) {
                try db.execute(sql: "ALTER TABLE joinedup_demo_area ADD COLUMN generator TEXT NOT NULL DEFAULT 'unversioned'")
            }
            try db.execute(sql: "DELETE FROM joinedup_demo_area")
            try db.execute(sql: """
                INSERT INTO joinedup_demo_area (people, seed, start, months, complete, resources, generator, written)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [entry.people, String(entry.seed), entry.start, entry.months, entry.complete,
                                 entry.resources, entry.generator,
                                 RecordEnvironment.live.now().description])
        }
    }
}
