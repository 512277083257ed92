import Foundation
import GRDB

/// The search index's secondary indexes (`SearchIndexSchema.valueIndexes`), taken down for a
/// bulk load and built again after it.
///
/// Why: an index row lands on a random page of each value-ordered B-tree, and as the store
/// grows each insert costs more (cache misses, then page reads). Building an index once at the
/// end sorts its rows instead. Importing 20,000 patients (a million resources) into an empty
/// store took 194 s with the indexes kept up row by row, and 122 s with them built at the end
/// (the build is about 28 s of that).
///
/// While the indexes are down, searches still answer correctly but read whole tables. So they
/// are taken down only for a load into an empty store (`CareRecord.bulkLoad`) and for a full
/// re-index, and the first search the writer itself makes during a load (a conditional
/// reference or create: Bundles have many) builds them for the rest of it. The row
/// `value_indexes = deferred` in `search_state` marks a store whose indexes are down: a load
/// that is killed part-way leaves it, and the next open of the record builds them.
enum ValueIndexes {
    static let stateName = "value_indexes"

    /// Drops every value index and marks the store, in the caller's transaction.
    static func drop(_ db: Database) throws {
        for index in SearchIndexSchema.valueIndexes {
            try db.execute(sql: "DROP INDEX IF EXISTS \(index.name)")
        }
        try db.execute(sql: "INSERT OR REPLACE INTO search_state (name, value) VALUES (?, 'deferred')",
                       arguments: [stateName])
    }

    /// Whether the indexes are down (a bulk load is running, or one was interrupted).
    static func areDown(_ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM search_state WHERE name = ?)",
                          arguments: [stateName]) ?? false
    }

    /// Builds whichever value indexes are missing and clears the mark, in the caller's
    /// transaction. Returns how many it built. SQLite sorts each index's rows on a helper
    /// thread per spare core (`PRAGMA threads`).
    @discardableResult
    static func build(_ db: Database) throws -> Int {
        let present = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index'"))
        let missing = SearchIndexSchema.valueIndexes.filter { !present.contains($0.name) }
        if !missing.isEmpty {
            let helpers = max(0, min(ProcessInfo.processInfo.activeProcessorCount - 1, 7))
            try db.execute(sql: "PRAGMA threads = \(helpers)")
            for index in missing { try db.execute(sql: index.sql) }
            try db.execute(sql: "PRAGMA threads = 0")
        }
        try db.execute(sql: "DELETE FROM search_state WHERE name = ?", arguments: [stateName])
        return missing.count
    }
}
