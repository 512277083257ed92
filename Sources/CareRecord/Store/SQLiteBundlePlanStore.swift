import GRDB

/// The plan store of a Bundle file import: TEMP tables on the writer connection (SQLite keeps
/// them in a temporary file), emptied when made, so memory stays flat whatever the number of
/// entries.
final class SQLiteBundlePlanStore: BundlePlanStore {
    private let db: Database

    init(_ db: Database) throws {
        self.db = db
        try db.execute(sql: """
            CREATE TEMP TABLE IF NOT EXISTS bundle_plan (idx INTEGER PRIMARY KEY, failed INTEGER NOT NULL DEFAULT 0,
                key_type TEXT, key_id TEXT, existing INTEGER NOT NULL DEFAULT 0, planned INTEGER NOT NULL DEFAULT 0);
            CREATE TEMP TABLE IF NOT EXISTS bundle_identity (full_url TEXT PRIMARY KEY, reference TEXT NOT NULL);
            CREATE TEMP TABLE IF NOT EXISTS bundle_claim (key_type TEXT NOT NULL, key_id TEXT NOT NULL, idx INTEGER NOT NULL,
                PRIMARY KEY (key_type, key_id));
            DELETE FROM bundle_plan; DELETE FROM bundle_identity; DELETE FROM bundle_claim;
            """)
    }

    func markFailed(_ index: Int) throws {
        try db.cachedStatement(sql: """
            INSERT INTO bundle_plan (idx, failed) VALUES (?, 1) ON CONFLICT (idx) DO UPDATE SET failed = 1
            """).execute(arguments: [index])
    }

    func isFailed(_ index: Int) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT failed FROM bundle_plan WHERE idx = ?"), arguments: [index]) ?? false
    }

    func setPlan(_ index: Int, key: ResourceKey?, existing: Bool) throws {
        try db.cachedStatement(sql: """
            INSERT INTO bundle_plan (idx, key_type, key_id, existing, planned) VALUES (?, ?, ?, ?, 1)
            ON CONFLICT (idx) DO UPDATE SET key_type = excluded.key_type, key_id = excluded.key_id,
                existing = excluded.existing, planned = 1
            """).execute(arguments: [index, key?.type, key?.id, existing])
    }

    func plan(_ index: Int) throws -> (key: ResourceKey?, existing: Bool)? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT key_type, key_id, existing FROM bundle_plan WHERE idx = ? AND planned = 1 AND failed = 0
            """), arguments: [index]) else { return nil }
        let type: String? = row[0]
        let id: String? = row[1]
        return (type.flatMap { type in id.map { ResourceKey(type, $0) } }, row[2])
    }

    func remember(fullUrl: String, as reference: String) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO bundle_identity (full_url, reference) VALUES (?, ?)")
            .execute(arguments: [fullUrl, reference])
    }

    func identity(for fullUrl: String) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT reference FROM bundle_identity WHERE full_url = ?"),
                            arguments: [fullUrl])
    }

    func claim(_ key: ResourceKey, by index: Int) throws -> Int? {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO bundle_claim (key_type, key_id, idx) VALUES (?, ?, ?)")
            .execute(arguments: [key.type, key.id, index])
        let first = try Int.fetchOne(db.cachedStatement(sql: "SELECT idx FROM bundle_claim WHERE key_type = ? AND key_id = ?"),
                                     arguments: [key.type, key.id])
        return first == index ? nil : first
    }
}
