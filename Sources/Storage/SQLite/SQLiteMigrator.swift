import GRDB
import Logging

/// Applies `Migration`s with GRDB's migrator: each in its own transaction, recorded by name,
/// never twice.
struct SQLiteMigrator {
    let migrations: [Migration]

    init(_ migrations: [Migration]) {
        self.migrations = migrations
    }

    func apply(to pool: DatabasePool, logger: Logger) throws {
        var migrator = DatabaseMigrator()
        for migration in migrations {
            migrator.registerMigration(migration.name) { db in
                try db.execute(sql: migration.sql)
            }
        }
        do {
            if try pool.read({ try migrator.hasBeenSuperseded($0) }) {
                throw StorageError(.newerSchema, detail: "the database has migrations this build does not know")
            }
            let pending = try pool.read { try migrator.appliedIdentifiers($0) }
            try migrator.migrate(pool)
            let applied = migrations.count - pending.count
            if applied > 0 {
                logger.info("applied migrations", metadata: ["count": "\(applied)"])
            }
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError(.migrationFailed, detail: "\(error)")
        }
    }
}
