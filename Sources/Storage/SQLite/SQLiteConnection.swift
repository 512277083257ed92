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

    /// Runs `body` in a read-only snapshot.
    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await pool.read { db in try body(SQLiteConnection(db)) }
    }
}
