/// Rows for one table, to be sent with others in as few statements as possible.
/// `sql` is an INSERT (or an `UPDATE ... FROM (VALUES ...)`) holding `$VALUES` where the row
/// tuples go; each row has `width` values.
public struct RowBatch: Sendable {
    public let sql: String
    public let width: Int
    public var rows: [[SQLValue]]

    public init(_ sql: String, width: Int, rows: [[SQLValue]] = []) {
        precondition(width > 0 && sql.contains("$VALUES"), "a row batch needs $VALUES and a row width")
        self.sql = sql
        self.width = width
        self.rows = rows
    }
}
