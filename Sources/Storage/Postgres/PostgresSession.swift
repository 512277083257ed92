import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PostgresNIO

/// One PostgreSQL connection driven synchronously, as `SQLConnection`: each statement is sent
/// through PostgresNIO and the calling thread waits for its result. `PostgresDatabase` calls
/// it only from threads of its own, so the wait never blocks an event loop (which would
/// deadlock the connection) or Swift's cooperative pool.
///
/// Why synchronous: the record's write logic runs inside one engine transaction as plain
/// synchronous code (SQLite's transactions are a synchronous closure in GRDB), and is written
/// once for both engines (`StoreTransaction`).
final class PostgresSession: SQLBulkCopying, @unchecked Sendable {
    let connection: PostgresConnection
    let logger: Logger

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Starts a new connection; the answer fails with `StorageError.cannotOpen`. Both the
    /// worker threads (which wait for it) and the async pool (which awaits it) open theirs so.
    static func opening(_ configuration: PostgresConnection.Configuration, logger: Logger) -> EventLoopFuture<PostgresSession> {
        let id = connectionIDs.withLockedValue { value in
            value += 1
            return value
        }
        return PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration,
                                          id: id, logger: logger)
            .map { PostgresSession(connection: $0, logger: logger) }
            .flatMapErrorThrowing { throw PostgresErrors.connectionError($0) }
    }

    /// Connection numbers for PostgresNIO's log lines, unique in the process.
    private static let connectionIDs = NIOLockedValueBox(0)

    var engine: SQLEngine { .postgres }
    var isClosed: Bool { connection.isClosed }

    /// Starts closing the connection, without waiting for it; the connection is kept alive
    /// until it has closed (PostgresNIO requires it closed before it is released).
    func closeConnection() {
        let connection = connection
        let closing: EventLoopFuture<Void> = connection.close()
        closing.whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    @discardableResult
    func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int {
        try run(sql, arguments).metadata.rows ?? 0
    }

    /// Queries run as prepared statements once seen twice (`PreparedStatements`); the first
    /// time, and for statements too large to keep, as unnamed ones.
    func fetchAll(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        try waitInOrder(rows(sql, arguments), sql: sql).map(Self.row)
    }

    /// `fetchAll` for a caller on Swift's concurrency pool (`PostgresSessionPool`): the task
    /// is resumed by the connection's event loop, with no thread blocked meanwhile.
    func fetchAllAsync(_ sql: String, _ arguments: [SQLValue]) async throws -> [SQLRow] {
        precondition(unanswered.isEmpty, "statements sent without waiting belong to a synchronous session")
        do {
            return try await rows(sql, arguments).get().map(Self.row)
        } catch {
            throw PostgresErrors.storageError(error, sql: sql)
        }
    }

    /// Sends one statement, never prepared, without waiting, for a caller on Swift's
    /// concurrency pool; its answer is the caller's to await (a snapshot's BEGIN, answered
    /// before the statement after it).
    func sendAsync(_ sql: String) throws -> EventLoopFuture<Void> {
        precondition(unanswered.isEmpty, "statements sent without waiting belong to a synchronous session")
        return try query(sql, []).answer.map { _ in }
    }

    /// Runs one statement, never prepared, for a caller on Swift's concurrency pool: for
    /// maintenance (an index build, a VACUUM), which a prepared statement cannot carry.
    func executeAsync(_ sql: String) async throws {
        do {
            try await sendAsync(sql).get()
        } catch {
            throw PostgresErrors.storageError(error, sql: sql)
        }
    }

    /// This connection's prepared statements. Changed only by the one caller using the session,
    /// or on the event loop while that caller waits for the answer.
    private var statements = PreparedStatements()

    private func rows(_ sql: String, _ arguments: [SQLValue]) throws -> EventLoopFuture<[PostgresRow]> {
        settleCopies()
        let key = PreparedStatements.Key(sql, arguments)
        if let prepared = statements.lookUp(key) {
            return executing(prepared, key, arguments)
        }
        guard statements.shouldPrepare(key) else { return try query(sql, arguments).answer.map(\.rows) }
        let (text, count) = key.typedSQL
        guard count == arguments.count else {
            throw StorageError(.invalidStatement, detail: "\(count) placeholders, \(arguments.count) arguments: \(text)")
        }
        return connection.prepare(query: text).flatMap { prepared in
            if let evicted = self.statements.insert(prepared, for: key) { _ = evicted.deallocate() }
            return self.executing(prepared, key, arguments)
        }
    }

    private func executing(_ prepared: PreparedQuery, _ key: PreparedStatements.Key,
                           _ arguments: [SQLValue]) -> EventLoopFuture<[PostgresRow]> {
        prepared.execute(arguments.map(Self.data)).flatMapErrorThrowing { error in
            // The server may have dropped it or changed its tables: prepare it afresh next time.
            if let dropped = self.statements.remove(key) { _ = dropped.deallocate() }
            throw error
        }
    }

    /// A value as the prepared statement's binding; its type matches the cast in the statement.
    private static func data(_ value: SQLValue) -> PostgresData {
        switch value {
        case .null: .null
        case .integer(let value): PostgresData(int64: value)
        case .real(let value): PostgresData(double: value)
        case .text(let value): PostgresData(string: value)
        case .blob(let value): PostgresData(bytes: value)
        }
    }

    /// Sends a statement without waiting for its answer: the connection runs statements in
    /// the order they were sent, so the next statement waited for also waits for this one, and
    /// its answer (an error above all) is checked then. A read's BEGIN and COMMIT go so, and a
    /// write's BEGIN and lock: each round trip waited for costs a request this thread's wake-up
    /// as well as the network's, and a search by identifier was mostly those.
    func send(_ sql: String, _ arguments: [SQLValue] = []) throws {
        let sent = try query(sql, arguments)
        unanswered.append((sent.answer.map { _ in }, sent.sql))
    }

    /// Statements sent and not yet checked, with their text for an error's detail.
    private var unanswered: [(answer: EventLoopFuture<Void>, sql: String)] = []

    /// Copies `rows` into `table` (`COPY ... FROM STDIN`) without waiting: a task encodes
    /// and streams them while this thread goes on (a bulk load makes the next rows meanwhile).
    /// Copies run one after another, in the order they were started, and any other statement
    /// waits for them to end before it is sent (`settleCopies`), so the connection runs
    /// everything in the order it was asked. A failed copy is checked as an unanswered
    /// statement is: the next statement waited for throws its error.
    func copy(into table: String, columns: [String], rows: [[SQLValue]]) throws {
        guard !rows.isEmpty else { return }
        let connection = connection
        let logger = logger
        let previous = copying
        let promise = connection.eventLoop.makePromise(of: Void.self)
        promise.completeWithTask {
            // After a failed copy the transaction has failed: the rest are not sent.
            try await previous?.get()
            // Encoded in the task, not on the caller's thread, which is busy making the next
            // rows.
            let data = Self.copyData(rows)
            try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                var rest = data
                while rest.readableBytes > 0, let chunk = rest.readSlice(length: min(rest.readableBytes, Self.copyChunkBytes)) {
                    try await writer.write(chunk)
                }
            }
        }
        copying = promise.futureResult
        unanswered.append((promise.futureResult, "COPY \(table)"))
    }

    private static func copyData(_ rows: [[SQLValue]]) -> ByteBuffer {
        var data = ByteBufferAllocator().buffer(capacity: 0)
        for row in rows { PostgresCopyText.append(row, to: &data) }
        return data
    }

    /// What one write to the server carries of a copy: large enough to keep it busy, small
    /// enough that PostgresNIO's back-pressure applies.
    static let copyChunkBytes = 1 << 20

    /// The last copy started and not yet waited for (each copy waits for the one before).
    private var copying: EventLoopFuture<Void>?

    /// Waits for the copies started so far, before any other statement is sent. Their errors
    /// are left to `unanswered`, so that a ROLLBACK after a failed copy is still sent.
    private func settleCopies() {
        guard let copying else { return }
        self.copying = nil
        _ = try? copying.wait()
    }

    private func run(_ sql: String, _ arguments: [SQLValue]) throws -> PostgresQueryResult {
        let sent = try query(sql, arguments)
        return try waitInOrder(sent.answer, sql: sent.sql)
    }

    /// Waits for `answer`, then checks every statement sent before it without waiting: they
    /// were answered first, and an error there (a failed BEGIN) explains this one.
    private func waitInOrder<T: Sendable>(_ answer: EventLoopFuture<T>, sql: String) throws -> T {
        let result = Result { try answer.wait() }
        let earlier = unanswered
        unanswered = []
        for statement in earlier { _ = try Self.checked(statement.sql) { try statement.answer.wait() } }
        return try Self.checked(sql) { try result.get() }
    }

    private static func checked<T>(_ sql: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw PostgresErrors.storageError(error, sql: sql)
        }
    }

    private func query(_ sql: String, _ arguments: [SQLValue]) throws -> (answer: EventLoopFuture<PostgresQueryResult>, sql: String) {
        settleCopies()
        let (text, count) = PostgresPlaceholders.numbered(sql)
        guard count == arguments.count else {
            throw StorageError(.invalidStatement, detail: "\(count) placeholders, \(arguments.count) arguments: \(text)")
        }
        var binds = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument {
            case .null: binds.appendNull()
            case .integer(let value): binds.append(value)
            case .real(let value): binds.append(value)
            case .text(let value): binds.append(value)
            case .blob(let value): binds.append(ByteBuffer(bytes: value))
            }
        }
        return (connection.query(PostgresQuery(unsafeSQL: text, binds: binds), logger: logger), text)
    }

    /// A row's cells as storage classes (see `SQLValue`).
    ///
    /// Every cell is read as binary: PostgresNIO asks for binary results in every Bind, but a
    /// prepared statement's rows carry the format its Describe reported (text).
    static func row(_ row: PostgresRow) -> SQLRow {
        SQLRow(row.map { described in
            guard described.bytes != nil else { return .null }
            var cell = described
            cell.format = .binary
            switch cell.dataType {
            case .int2, .int4, .int8, .oid:
                return (try? cell.decode(Int64.self)).map(SQLValue.integer) ?? .null
            case .bool:
                return (try? cell.decode(Bool.self)).map { .integer($0 ? 1 : 0) } ?? .null
            case .float4, .float8:
                return (try? cell.decode(Double.self)).map(SQLValue.real) ?? .null
            case .numeric:
                return (try? cell.decode(Decimal.self)).map { .real(NSDecimalNumber(decimal: $0).doubleValue) } ?? .null
            case .bytea:
                return (try? cell.decode(ByteBuffer.self)).map { .blob(Array($0.readableBytesView)) } ?? .null
            default:
                return (try? cell.decode(String.self)).map(SQLValue.text) ?? .null
            }
        })
    }
}

/// PostgreSQL's errors as `StorageError`s: the SQLSTATE decides the code, and the server's
/// message (which may quote a value) goes to the detail only.
enum PostgresErrors {
    /// PostgresNIO's two error types as `StorageError`; any other error is left as it is.
    static func storageError(_ error: any Error, sql: String) -> any Error {
        switch error {
        case let error as PSQLError: storageError(error, sql: sql)
        case let error as PostgresError: storageError(error, sql: sql)
        default: error
        }
    }

    /// A failed connection attempt: the server's message only.
    static func connectionError(_ error: any Error) -> StorageError {
        if let error = error as? PSQLError {
            return StorageError(.cannotOpen, detail: "\(error.serverInfo?[.message] ?? String(reflecting: error))")
        }
        return StorageError(.cannotOpen, detail: "\(error)")
    }

    static func storageError(_ error: PSQLError, sql: String) -> StorageError {
        storageError(state: error.serverInfo?[.sqlState] ?? "",
                     message: error.serverInfo?[.message] ?? "\(error.code)", sql: sql)
    }

    /// The older error type, which PostgresNIO's prepared statements (`PreparedQuery`) throw.
    static func storageError(_ error: PostgresError, sql: String) -> StorageError {
        switch error {
        case .server(let server):
            storageError(state: server.fields[.sqlState] ?? "", message: server.fields[.message] ?? "", sql: sql)
        case .protocol(let message):
            storageError(state: "", message: message, sql: sql)
        case .connectionClosed:
            storageError(state: "", message: "the connection was closed", sql: sql)
        }
    }

    private static func storageError(state: String, message: String, sql: String) -> StorageError {
        let code: StorageError.Code = switch state {
        case "23505": .uniqueViolation
        case "40001", "40P01": .conflict
        case "": .cannotOpen
        default: .statementFailed
        }
        return StorageError(code, detail: "\(state) \(message): \(sql)")
    }
}
