import Logging

/// Applies `Migration`s' PostgreSQL text, recording each by name in `joinedup_migrations`,
/// never twice, under a lock, so two servers starting at once do not both migrate. A database
/// that holds a name this build does not know was migrated by a newer JoinedUp, and is refused.
struct PostgresMigrator {
    let migrations: [Migration]

    init(_ migrations: [Migration]) {
        self.migrations = migrations
    }

    /// Runs on a connection with no transaction open; applies all pending steps in one.
    func apply(on session: some SQLConnection, lock: Int64, logger: Logger) throws {
        try session.execute("BEGIN")
        do {
            try session.execute("SELECT pg_advisory_xact_lock(?)", [.integer(lock)])
            try session.execute("""
                CREATE TABLE IF NOT EXISTS joinedup_migrations (
                    name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                """)
            let applied = Set(try session.fetchAll("SELECT name FROM joinedup_migrations").compactMap { $0[0].string })
            let known = Set(migrations.map(\.name))
            if !applied.subtracting(known).isEmpty {
                throw StorageError(.newerSchema, detail: "the database has migrations this build does not know")
            }
            let pending = migrations.filter { !applied.contains($0.name) }
            for migration in pending {
                for statement in PostgresScript.statements(migration.postgres) {
                    try session.execute(statement)
                }
                try session.execute("INSERT INTO joinedup_migrations (name) VALUES (?)", [.text(migration.name)])
            }
            try session.execute("COMMIT")
            if !pending.isEmpty { logger.info("applied migrations", metadata: ["count": "\(pending.count)"]) }
        } catch let error as StorageError {
            _ = try? session.execute("ROLLBACK")
            throw error.code == .statementFailed ? StorageError(.migrationFailed, detail: error.detail) : error
        }
    }
}
