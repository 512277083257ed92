/// One engine's connection, inside a transaction or a read that the engine opened. Code that
/// owns tables (the record, later the ledger and the person index) writes its SQL once
/// against this: `?` placeholders (numbered for PostgreSQL by its connection), values as
/// `SQLValue`. Calls are synchronous, like SQLite itself; PostgreSQL's connection runs them on
/// a thread of its own (`PostgresDatabase`), never on an event loop or Swift's cooperative
/// pool.
public protocol SQLConnection {
    var engine: SQLEngine { get }
    /// Runs one statement and returns how many rows it changed.
    @discardableResult
    func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int
    /// Runs one query and returns its rows.
    func fetchAll(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow]
}

extension SQLConnection {
    @discardableResult
    public func execute(_ sql: String) throws -> Int {
        try execute(sql, [])
    }

    public func fetchAll(_ sql: String) throws -> [SQLRow] {
        try fetchAll(sql, [])
    }

    public func fetchOne(_ sql: String, _ arguments: [SQLValue] = []) throws -> SQLRow? {
        try fetchAll(sql, arguments).first
    }
}

/// A connection that can stream many rows into a table at once (PostgreSQL's COPY), several
/// times faster than INSERT statements for the server and without the statement text.
public protocol SQLBulkCopying: SQLConnection {
    /// Starts copying `rows` (each with one value per column) into `table` and may return
    /// before they are in: statements run afterwards on the connection run after the copy, and
    /// a failed copy fails the next statement that waits for its answer, as a failed statement
    /// would, so a transaction never commits without its rows.
    func copy(into table: String, columns: [String], rows: [[SQLValue]]) throws
}

/// The two engines: the embedded file and the server.
public enum SQLEngine: String, Sendable, CaseIterable {
    case sqlite
    case postgres
}

/// A database on either engine, for code that owns tables: one write transaction at a time,
/// reads in snapshots beside it.
public protocol SQLDatabase: Sendable {
    var engine: SQLEngine { get }
    /// Runs `body` in one write transaction; if it throws, nothing of it remains.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T
    /// Runs `body` in a read-only snapshot.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T
}
