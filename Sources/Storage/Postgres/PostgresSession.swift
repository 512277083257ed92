import Foundation
import Logging
import NIOCore
import PostgresNIO

/// One PostgreSQL connection driven synchronously, as `SQLConnection`: each statement is sent
/// through PostgresNIO and the calling thread waits for its result. `PostgresDatabase` calls
/// it only from threads of its own, so the wait never blocks an event loop (which would
/// deadlock the connection) or Swift's cooperative pool.
///
/// Why synchronous: the record's write logic runs inside one engine transaction as plain
/// synchronous code (SQLite's transactions are a synchronous closure in GRDB), and is written
/// once for both engines (`StoreTransaction`).
final class PostgresSession: SQLConnection, @unchecked Sendable {
    let connection: PostgresConnection
    let logger: Logger

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    var engine: SQLEngine { .postgres }
    var isClosed: Bool { connection.isClosed }

    @discardableResult
    func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int {
        try run(sql, arguments).metadata.rows ?? 0
    }

    func fetchAll(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        try run(sql, arguments).rows.map(Self.row)
    }

    /// Sends a statement without waiting for its answer: the connection runs statements in
    /// the order they were sent, so the next statement waited for also waits for this one, and
    /// its answer (an error above all) is checked then. A read's BEGIN and COMMIT go so, and a
    /// write's BEGIN and lock: each round trip waited for costs a request this thread's wake-up
    /// as well as the network's, and a search by identifier was mostly those.
    func send(_ sql: String, _ arguments: [SQLValue] = []) throws {
        unanswered.append(try query(sql, arguments))
    }

    /// Statements sent and not yet checked, with their text for an error's detail.
    private var unanswered: [(answer: EventLoopFuture<PostgresQueryResult>, sql: String)] = []

    private func run(_ sql: String, _ arguments: [SQLValue]) throws -> PostgresQueryResult {
        let sent = try query(sql, arguments)
        let result = Result { try sent.answer.wait() }
        // Sent before it, so answered already: an error there (a failed BEGIN) explains this one.
        let earlier = unanswered
        unanswered = []
        for statement in earlier { _ = try Self.checked(statement.sql) { try statement.answer.wait() } }
        return try Self.checked(sent.sql) { try result.get() }
    }

    private static func checked<T>(_ sql: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PSQLError {
            throw PostgresErrors.storageError(error, sql: sql)
        }
    }

    private func query(_ sql: String, _ arguments: [SQLValue]) throws -> (answer: EventLoopFuture<PostgresQueryResult>, sql: String) {
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
    static func row(_ row: PostgresRow) -> SQLRow {
        SQLRow(row.map { cell in
            guard cell.bytes != nil else { return .null }
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
    static func storageError(_ error: PSQLError, sql: String) -> StorageError {
        let state = error.serverInfo?[.sqlState] ?? ""
        let message = error.serverInfo?[.message] ?? "\(error.code)"
        let code: StorageError.Code = switch state {
        case "23505": .uniqueViolation
        case "40001", "40P01": .conflict
        case "": .cannotOpen
        default: .statementFailed
        }
        return StorageError(code, detail: "\(state) \(message): \(sql)")
    }
}
