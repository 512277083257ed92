/// One named, append-only schema step. Once released a migration never changes: a new
/// need is a new migration, so every existing database can be brought forward.
///
/// Each engine has its own text of the step, since their SQL differs (SQLite's `WITHOUT
/// ROWID` and FTS5, PostgreSQL's identity columns and text search). A step that an engine's
/// schema already holds (PostgreSQL began at the shape SQLite reached through several steps)
/// is empty for it, and still recorded, so that both keep one list of names.
public struct Migration: Sendable {
    public let name: String
    /// The SQLite text.
    public let sql: String
    /// The PostgreSQL text; empty when there is nothing to do there.
    public let postgres: String

    public init(_ name: String, sql: String, postgres: String = "") {
        self.name = name
        self.sql = sql
        self.postgres = postgres
    }
}
