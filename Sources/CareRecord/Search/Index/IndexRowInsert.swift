import GRDB
import GRDBSQLite
import Storage

/// One cached INSERT of index rows, bound and stepped through the SQLite C API.
///
/// Why not GRDB's `execute(arguments:)`: it boxes every value in an existential array and
/// binds through nested closures, and a bulk load inserts about eleven index rows per
/// resource (millions per load), where that wrapping was a fifth of the writer's time. The
/// statement is GRDB's own (cached, finalised with the connection) and is used by nothing
/// else, so stepping it directly leaves GRDB's bookkeeping as it was: an INSERT inside a
/// transaction GRDB opened changes no transaction state.
struct IndexRowInsert {
    private let db: Database
    private let statement: Statement

    init(_ db: Database, sql: String) throws {
        self.db = db
        self.statement = try db.cachedStatement(sql: sql)
    }

    func execute(_ values: [SQLValue]) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        for (offset, value) in values.enumerated() {
            let position = Int32(offset + 1)
            let code: Int32
            switch value {
            case .integer(let integer): code = sqlite3_bind_int64(handle, position, integer)
            case .real(let real): code = sqlite3_bind_double(handle, position, real)
            case .text(let text): code = Self.bind(text, handle, position)
            case .null: code = sqlite3_bind_null(handle, position)
            case .blob(let bytes): code = bytes.withUnsafeBytes { sqlite3_bind_blob(handle, position, $0.baseAddress, Int32($0.count), transient) }
            }
            guard code == SQLITE_OK else { throw failure(code) }
        }
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else { throw failure(code) }
    }

    /// Binds the text's UTF-8 with its length, so text holding U+0000 is stored whole; SQLite
    /// copies it. An empty string is bound as empty text, never as NULL.
    private static func bind(_ text: String, _ handle: OpaquePointer, _ position: Int32) -> Int32 {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return sqlite3_bind_text(handle, position, "", 0, nil) }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                sqlite3_bind_text(handle, position, $0, Int32(bytes.count), transient)
            }
        }
    }

    private func failure(_ code: Int32) -> DatabaseError {
        let message = db.sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }
}

/// SQLITE_TRANSIENT, a C macro Swift does not import: SQLite copies the bytes before the
/// call returns.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
