import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// The server store: a PostgreSQL database reached by `PostgresAddress`. Opening it applies
/// every pending migration first, as `SQLiteDatabase` does.
///
/// Transactions keep SQLite's guarantees. Every write transaction takes one transaction-level
/// advisory lock (`PostgresAddress.writerLock`, one per database and schema) before its first
/// statement, so writers run one at a time
/// across every server process on the database: a conditional create sees every commit
/// before it, and `resource_version.seq` (the change log) is assigned in commit order, so a
/// reader that resumes after a `seq` misses nothing. Reads run in REPEATABLE READ snapshots,
/// so a search and its total see one state of the record.
///
/// Statements run synchronously (`PostgresSession`) on this class's own threads
/// (`PostgresWorkers`), each with its own connection: one for the writer, and up to
/// `maximumReaders` for reads. `close()` ends them.
public final class PostgresDatabase: SQLDatabase {
    public var engine: SQLEngine { .postgres }
    public let address: PostgresAddress
    let writer: PostgresWorkers
    let readers: PostgresWorkers
    /// Connections for single statements run from async code (`fetchAll`).
    let statements: PostgresSessionPool
    /// The read replica that takes reads, when there is one (`--read-replica`).
    let replica: PostgresReplica?

    public static let defaultMaximumReaders = 16

    /// Connects, migrates, and returns the database. The first connection is made at once, so
    /// a wrong address fails here with `StorageError.cannotOpen`.
    ///
    /// With `readReplica`, reads go to that streaming replica of the same database, once it
    /// has replayed this process's writes (`PostgresReplica`); an address that is not a
    /// replica fails here too.
    public static func open(_ address: PostgresAddress, migrations: [Migration],
                            logger: Logger = Logger(label: "joinedup.storage"),
                            maximumReaders: Int = defaultMaximumReaders,
                            readReplica: PostgresAddress? = nil) async throws -> PostgresDatabase {
        let database = try PostgresDatabase(address: address, logger: logger, maximumReaders: maximumReaders,
                                            readReplica: try readReplica?.replica(of: address))
        let lock = address.writerLock
        let schema = address.schema
        do {
            try await database.writeWithoutTransaction { session in
                if let schema { try session.execute("CREATE SCHEMA IF NOT EXISTS \"\(schema)\"") }
                try PostgresMigrator(migrations).apply(on: session, lock: lock, logger: logger)
            }
            try await database.replica?.check()
        } catch {
            database.close()
            throw error
        }
        return database
    }

    private init(address: PostgresAddress, logger: Logger, maximumReaders: Int, readReplica: PostgresAddress?) throws {
        self.address = address
        replica = try readReplica.map { try PostgresReplica(address: $0, maximumReaders: maximumReaders, logger: logger) }
        let configuration = try address.configuration()
        writer = PostgresWorkers(size: 1, label: "joinedup.postgres.writer", configuration: configuration, logger: logger)
        readers = PostgresWorkers(size: maximumReaders, label: "joinedup.postgres.reader", configuration: configuration,
                                  logger: logger)
        statements = PostgresSessionPool(size: maximumReaders, configuration: configuration, logger: logger)
    }

    /// Runs `body` in one write transaction, after every write before it has committed.
    /// If `body` throws, the transaction is rolled back and nothing of it remains.
    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            startWrite(body) { continuation.resume(with: $0) }
        }
    }

    /// Starts `body` in one write transaction, as `write` does, and returns at once:
    /// `completion` is told the result on the writer's thread. For a loader that prepares the
    /// next batch while this one is written, and so must not wait for the write to begin.
    public func startWrite<T>(_ body: @escaping @Sendable (any SQLConnection) throws -> T,
                              completion: @escaping @Sendable (Result<T, any Error>) -> Void) {
        let lock = address.writerLock
        let replica = replica
        writer.start({ session in
            let result = try Self.transaction(session, begin: "BEGIN") { session in
                // Waited for with the transaction's first statement.
                try session.send("SELECT pg_advisory_xact_lock(?)", [.integer(lock)])
                return try body(session)
            }
            Self.noteWrite(session, to: replica)
            return result
        }, completion: completion)
    }

    /// Runs `body` on the writer's connection without opening a transaction (it opens its own).
    public func writeWithoutTransaction<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        let replica = replica
        return try await writer.run { session in
            let result = try body(session)
            Self.noteWrite(session, to: replica)
            return result
        }
    }

    /// Tells the replica how far the primary's WAL reached after a write committed, before the
    /// writer answers: a read that follows the write then waits for the replica to replay it.
    /// Never throws: the write has committed, and must not be reported as failed. A position
    /// that cannot be read keeps reads on the primary until a later write's can
    /// (`PostgresReplica.noteWrite`).
    private static func noteWrite(_ session: PostgresSession, to replica: PostgresReplica?) {
        guard let replica else { return }
        let text = (try? session.fetchOne(PostgresReplica.currentPositionSQL))?[0].string
        replica.noteWrite(text.flatMap(PostgresReplica.position))
    }

    /// Runs `body` in a read-only snapshot, on the replica when it holds this process's writes.
    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        func run(on readers: PostgresWorkers) async throws -> T {
            try await readers.run { session in
                try Self.transaction(session, begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", readOnly: true, body)
            }
        }
        guard let replica, await replica.isCurrent() else { return try await run(on: readers) }
        return try await Self.onReplica(replica) { try await run(on: replica.readers) } orPrimary: { try await run(on: self.readers) }
    }

    /// Runs a read on the replica, and again on the primary if the replica cannot answer (it
    /// is unreachable, or a recovery conflict cancelled the read): the primary can always. An
    /// unreachable replica is then left out for a while (`PostgresReplica.failed`).
    private static func onReplica<T>(_ replica: PostgresReplica, _ read: () async throws -> T,
                                     orPrimary primary: () async throws -> T) async throws -> T {
        do {
            return try await read()
        } catch let error as StorageError where error.code == .cannotOpen || error.code == .conflict {
            if error.code == .cannotOpen { replica.failed() }
            return try await primary()
        }
    }

    /// Runs one query outside any explicit transaction and returns its rows: a single
    /// statement sees one snapshot on its own, and BEGIN and COMMIT would double the round
    /// trips of a read by id. It runs on the caller's task, not a worker thread
    /// (`PostgresSessionPool`), on the replica when it holds this process's writes.
    public func fetchAll(_ sql: String, _ arguments: [SQLValue]) async throws -> [SQLRow] {
        func run(on pool: PostgresSessionPool) async throws -> [SQLRow] {
            try await pool.withSession { session in try await session.fetchAllAsync(sql, arguments) }
        }
        guard let replica, await replica.isCurrent() else { return try await run(on: statements) }
        return try await Self.onReplica(replica) { try await run(on: replica.statements) } orPrimary: { try await run(on: self.statements) }
    }

    /// Runs `body` in a read-only snapshot on a pooled connection, from async code: a few
    /// statements that must agree (a search's page and its includes) without a worker thread
    /// between the caller and the connection. BEGIN is sent without waiting (the first
    /// statement waits for it); COMMIT is waited for before the connection is lent again.
    public func readSnapshot<T: Sendable>(_ body: (PostgresSnapshot) async throws -> T) async throws -> T {
        guard let replica, await replica.isCurrent() else { return try await readSnapshot(on: statements, body) }
        return try await Self.onReplica(replica) { try await readSnapshot(on: replica.statements, body) }
            orPrimary: { try await readSnapshot(on: statements, body) }
    }

    private func readSnapshot<T: Sendable>(on pool: PostgresSessionPool, _ body: (PostgresSnapshot) async throws -> T) async throws -> T {
        try await pool.withSession { session in
            let begin = try session.sendAsync("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            do {
                let result = try await body(PostgresSnapshot(session: session))
                do { try await begin.get() } catch { throw PostgresErrors.storageError(error, sql: "BEGIN") }
                try await session.executeAsync("COMMIT")
                return result
            } catch {
                _ = try? await begin.get()
                try? await session.executeAsync("ROLLBACK")
                throw error
            }
        }
    }

    /// Whether a read now would go to the replica (false without one): for tests and the log.
    public func readsFromReplica() async -> Bool {
        await replica?.isCurrent() ?? false
    }

    /// Runs each statement on a pooled connection of its own, outside any transaction, at
    /// most `width` at once: maintenance after a bulk load (index builds, VACUUM), which the
    /// server runs one statement to a process, so side by side they use more than one core.
    /// Throws the first failure, after the statements already started have ended.
    public func runEach(_ commands: [String], width: Int) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var rest = commands[...]
            func startNext() {
                guard let sql = rest.popFirst() else { return }
                group.addTask { try await self.statements.withSession { try await $0.executeAsync(sql) } }
            }
            for _ in 0..<max(1, width) { startNext() }
            while try await group.next() != nil { startNext() }
        }
    }

    /// Closes every connection. The database is unusable afterwards.
    public func close() {
        writer.close()
        readers.close()
        statements.close()
        replica?.close()
    }

    /// BEGIN is sent without waiting (the first statement waits for it); a read-only
    /// transaction's COMMIT too (the connection's next statement checks it), since nothing of a
    /// read depends on it; a write's COMMIT is waited for, as its durability is.
    private static func transaction<T>(_ session: PostgresSession, begin: String, readOnly: Bool = false,
                                       _ body: (PostgresSession) throws -> T) throws -> T {
        try session.send(begin)
        do {
            let result = try body(session)
            if readOnly { try session.send("COMMIT") } else { try session.execute("COMMIT") }
            return result
        } catch {
            // A broken connection is dropped by the pool; the server then rolls back itself.
            _ = try? session.execute("ROLLBACK")
            throw error
        }
    }
}

/// A read-only snapshot's statements, for `PostgresDatabase.readSnapshot`'s body.
public struct PostgresSnapshot {
    let session: PostgresSession

    public func fetchAll(_ sql: String, _ arguments: [SQLValue]) async throws -> [SQLRow] {
        try await session.fetchAllAsync(sql, arguments)
    }
}
