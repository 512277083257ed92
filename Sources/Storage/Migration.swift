/// One named, append-only schema step. Once released a migration never changes: a new
/// need is a new migration, so every existing database can be brought forward.
public struct Migration: Sendable {
    public let name: String
    public let sql: String

    public init(_ name: String, sql: String) {
        self.name = name
        self.sql = sql
    }
}
