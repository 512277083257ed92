import Foundation
import GRDB

/// A GRDB connection as `SQLConnection`, inside a transaction or read that GRDB opened.
/// Statements are cached by their text, so code that runs one statement per row prepares it once.
public struct SQLiteConnection: SQLConnection {
    public let db: Database

    public init(_ db: Database) {
        self.db = db
    }

    public var engine: SQLEngine { .sqlite }

    @discardableResult
    public func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int {
        try db.cachedStatement(sql: sql).execute(arguments: StatementArguments(arguments.map { $0.databaseValue }))
        return db.changesCount
    }

    public func fetchAll(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        let statement = try db.cachedStatement(sql: sql)
        let columns = statement.columnCount
        return try Row.fetchAll(statement, arguments: StatementArguments(arguments.map { $0.databaseValue })).map { row in
            SQLRow((0..<columns).map { SQLValue(row[$0] as DatabaseValue) })
        }
    }
}

extension SQLValue {
    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .integer(let value): value.databaseValue
        case .real(let value): value.databaseValue
        case .text(let value): value.databaseValue
        case .blob(let value): Data(value).databaseValue
        }
    }

    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let value): self = .integer(value)
        case .double(let value): self = .real(value)
        case .string(let value): self = .text(value)
        case .blob(let value): self = .blob(Array(value))
        }
    }
}

extension SQLiteDatabase: SQLDatabase {
    public var engine: SQLEngine { .sqlite }

    /// Runs `body` in one write transaction (see `PostgresDatabase.write`).
    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await pool.write { db in try body(SQLiteConnection(db)) }
    }

    /// Runs `body` in a read-only snapshot, on a thread of Dispatch's: the calling task
    /// waits, no thread of its executor does.
    ///
    /// Not GRDB's async `read`, which keeps its reader until the awaiting task resumes, on one
    /// of the executor's threads: a read by id takes a reader synchronously on those threads
    /// (`CareRecord.readVersion`), and under 64 clients mixing searches and reads every
    /// executor thread waited for a reader that only an executor thread could give back. The
    /// server answered 66 requests and then nothing. Here the reader is given back when
    /// `body` returns, whoever waits.
    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        let pool = pool
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try pool.read { db in try body(SQLiteConnection(db)) } })
            }
        }
    }
}
