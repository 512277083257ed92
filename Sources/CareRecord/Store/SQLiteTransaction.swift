import FHIR
import GRDB

/// `StoreTransaction` on a GRDB connection that is inside a write transaction. Statements are
/// cached by SQL text, so a bulk load prepares each once.
struct SQLiteTransaction: StoreTransaction {
    let db: Database

    func current(_ key: ResourceKey) throws -> CurrentVersion? {
        let statement = try db.cachedStatement(sql: """
            SELECT r.version, v.last_updated, r.deleted FROM resource r
            JOIN resource_version v ON v.seq = r.seq WHERE r.type = ? AND r.id = ?
            """)
        guard let row = try Row.fetchOne(statement, arguments: [key.type, key.id]) else { return nil }
        return CurrentVersion(version: row[0], lastUpdated: FHIRInstant(millisecondsSince1970: row[1]), deleted: row[2])
    }

    func version(_ key: ResourceKey, _ version: Int?) throws -> StoredVersion? {
        try SQLiteReads.version(db, key, version)
    }

    func append(_ key: ResourceKey, version: Int, lastUpdated: FHIRInstant, method: WriteMethod, created: Bool,
                body: [UInt8]?, identifiers: [IdentifierValue]) throws -> Int64 {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO resource_version (type, id, version, last_updated, method, created, body) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        try insert.execute(arguments: [key.type, key.id, version, lastUpdated.millisecondsSince1970,
                                       method.rawValue, created, body.map { Data($0) }])
        let sequence = db.lastInsertedRowID
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO resource (type, id, version, seq, deleted) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (type, id) DO UPDATE SET version = excluded.version, seq = excluded.seq, deleted = excluded.deleted
            """)
        try upsert.execute(arguments: [key.type, key.id, version, sequence, method == .delete])
        if version > 1 {
            let clear = try db.cachedStatement(sql: "DELETE FROM resource_identifier WHERE type = ? AND id = ?")
            try clear.execute(arguments: [key.type, key.id])
        }
        if !identifiers.isEmpty {
            let index = try db.cachedStatement(sql: "INSERT INTO resource_identifier (type, id, system, value) VALUES (?, ?, ?, ?)")
            for identifier in identifiers {
                try index.execute(arguments: [key.type, key.id, identifier.system, identifier.value])
            }
        }
        return sequence
    }

    func matches(_ query: ConditionalQuery, limit: Int) throws -> [String] {
        try SQLiteReads.matches(db, query, limit: limit)
    }

    func isolated<T>(_ body: () throws -> T) throws -> T {
        var result: T?
        try db.inSavepoint {
            result = try body()
            return .commit
        }
        return result!
    }
}

import Foundation
