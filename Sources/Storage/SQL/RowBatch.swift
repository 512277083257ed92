/// Rows for one table, to be sent with others in as few statements as possible.
/// `sql` is an INSERT (or an `UPDATE ... FROM (VALUES ...)`) holding `$VALUES` where the row
/// tuples go; each row has `width` values.
///
/// A batch whose rows can go into their table as they are, with nothing to resolve (no
/// conflict and no casts in `sql`), names that table and its columns in `copy`: many rows are
/// then copied rather than inserted (`SQLBulkCopying`).
public struct RowBatch: Sendable {
    public let sql: String
    public let width: Int
    public var rows: [[SQLValue]]
    public let copy: CopyTarget?

    public struct CopyTarget: Sendable {
        public let table: String
        public let columns: [String]

        public init(table: String, columns: [String]) {
            self.table = table
            self.columns = columns
        }
    }

    public init(_ sql: String, width: Int, rows: [[SQLValue]] = [], copy: CopyTarget? = nil) {
        precondition(width > 0 && sql.contains("$VALUES"), "a row batch needs $VALUES and a row width")
        precondition(copy.map { $0.columns.count == width } ?? true, "a copy names one column a value")
        self.sql = sql
        self.width = width
        self.rows = rows
        self.copy = copy
    }
}
