import FHIR
import Storage

/// The search index's value tables, and how one indexed value becomes a row of one. Both
/// engines' writers take their rows from here (`SQLiteSearchIndexWriter` row by row through
/// SQLite's C API, `PendingIndexRows` in multi-row INSERTs), so the layout is written once.
enum SearchIndexTable: Int, CaseIterable, Sendable {
    case token, string, date, reference, number, quantity, composite

    /// The table of a parameter type's values; nil for `special`, which has none.
    init?(_ type: SearchParameterType) {
        switch type {
        case .token, .uri: self = .token
        case .string: self = .string
        case .date: self = .date
        case .reference: self = .reference
        case .number: self = .number
        case .quantity: self = .quantity
        case .composite: self = .composite
        case .special: return nil
        }
    }

    var name: String {
        switch self {
        case .token: "search_token"
        case .string: "search_string"
        case .date: "search_date"
        case .reference: "search_reference"
        case .number: "search_number"
        case .quantity: "search_quantity"
        case .composite: "search_composite"
        }
    }

    /// The columns a row fills, in the order `row` gives its values.
    var columns: String {
        switch self {
        case .token: "rid, pid, system, code"
        case .string: "rid, pid, norm, exact"
        case .date: "rid, pid, low, high"
        case .reference: "rid, pid, target_type, target_id"
        case .number: "rid, pid, value"
        case .quantity: "rid, pid, value, system, code"
        case .composite: "rid, pid, a_system, a_code, b_system, b_code, b_low, b_high"
        }
    }

    var columnCount: Int { columns.split(separator: ",").count }

    /// The primary key's columns as the first migration made them (`SearchIndexSchema.tables`):
    /// `columns` in the order a search reads them.
    var primaryKey: String {
        switch self {
        case .token: "rid, pid, code, system"
        case .quantity: "rid, pid, value, system, code"
        case .string, .date, .reference, .number, .composite: columns
        }
    }

    /// `(?, ?, ...)`, one placeholder per column.
    var placeholders: String {
        "(" + Array(repeating: "?", count: columnCount).joined(separator: ", ") + ")"
    }

    /// The row of `value` for resource `rid` and parameter `pid`; nil for a value that is not
    /// stored (a number that is not finite, a composite that does not fit).
    static func row(rid: Int64, pid: Int64, _ value: SearchIndexValue) -> (table: SearchIndexTable, values: [SQLValue])? {
        switch value {
        case .token(let system, let code):
            (.token, [.integer(rid), .integer(pid), .text(system), .text(code)])
        case .string(let normalized, let exact):
            (.string, [.integer(rid), .integer(pid), .text(normalized), .text(exact)])
        case .date(let low, let high):
            (.date, [.integer(rid), .integer(pid), .integer(low), .integer(high)])
        case .reference(let type, let id):
            (.reference, [.integer(rid), .integer(pid), .text(type), .text(id)])
        case .number(let number):
            number.isFinite ? (.number, [.integer(rid), .integer(pid), .real(number)]) : nil
        case .quantity(let number, let system, let code):
            number.isFinite ? (.quantity, [.integer(rid), .integer(pid), .real(number), .text(system), .text(code)]) : nil
        case .composite(let first, let second):
            if let a = CompositeColumns.first(first), let b = CompositeColumns.second(second) {
                (.composite, [.integer(rid), .integer(pid), .text(a.system), .text(a.code), .text(b.system), .text(b.code),
                              .real(b.low), .real(b.high)])
            } else {
                nil
            }
        }
    }
}

/// How a composite's two component values fit the columns of `search_composite`: the first
/// is a token or a reference (`a_system`, `a_code`); the second a token, reference or string
/// (`b_system`, `b_code`) or a number, quantity or date (`b_low`..`b_high`, with the unit in
/// `b_system`/`b_code`). The query side (`SearchCompositeSQL`) reads them the same way.
enum CompositeColumns {
    struct Second {
        var system = ""
        var code = ""
        var low = 0.0
        var high = 0.0
    }

    static func first(_ value: SearchIndexValue) -> (system: String, code: String)? {
        switch value {
        case .token(let system, let code): (system, code)
        case .reference(let type, let id): (type, id)
        default: nil
        }
    }

    static func second(_ value: SearchIndexValue) -> Second? {
        switch value {
        case .token(let system, let code): Second(system: system, code: code)
        case .reference(let type, let id): Second(system: type, code: id)
        case .string(let normalized, _): Second(code: normalized)
        case .number(let number): number.isFinite ? Second(low: number, high: number) : nil
        case .quantity(let number, let system, let code):
            number.isFinite ? Second(system: system, code: code, low: number, high: number) : nil
        case .date(let low, let high): Second(low: Double(low), high: Double(high))
        case .composite: nil
        }
    }
}
