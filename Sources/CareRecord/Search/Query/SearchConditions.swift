import FHIR
import Storage

/// SQL conditions over the columns of one index table, for one search value. Each returns
/// the condition text (placeholders only) and the values to bind, in order.
enum SearchConditions {
    typealias Condition = (sql: String, arguments: [SQLValue])

    /// The highest code point: `norm >= q AND norm < q + max` is "starts with q" on an index.
    static let afterPrefix = "\u{10FFFF}"

    static func token(_ value: TokenSearchValue, system systemColumn: String = "system",
                      code codeColumn: String = "code") -> Condition {
        var parts: [String] = []
        var arguments: [SQLValue] = []
        if let code = value.code {
            parts.append("\(codeColumn) = ?")
            arguments.append(SearchKeyText.cap(code).sqlValue)
        }
        if let system = value.system {
            parts.append("\(systemColumn) = ?")
            arguments.append(SearchKeyText.cap(system).sqlValue)
        }
        return (parts.isEmpty ? "TRUE" : parts.joined(separator: " AND "), arguments)
    }

    static func startsWith(_ normalized: String, column: String = "norm") -> Condition {
        let prefix = SearchKeyText.cap(normalized)
        return ("\(column) >= ? AND \(column) < ?", [prefix.sqlValue, (prefix + afterPrefix).sqlValue])
    }

    /// Equality with an indexed text (cut as the index cuts it).
    static func equals(_ text: String, column: String) -> Condition {
        ("\(column) = ?", [SearchKeyText.cap(text).sqlValue])
    }

    static func contains(_ normalized: String, column: String = "norm") -> Condition {
        var escaped = ""
        for character in SearchKeyText.cap(normalized) {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return ("\(column) LIKE ? ESCAPE '\\'", ["%\(escaped)%".sqlValue])
    }

    /// A date range `low..high` (inclusive) against a search date, as R4 defines each prefix.
    static func date(_ value: DateSearchValue, low: String = "low", high: String = "high", now: () -> Int64,
                     asReal: Bool = false) -> Condition {
        let range = value.range
        func bound(_ number: Int64) -> SQLValue { asReal ? Double(number).sqlValue : number.sqlValue }
        let contains = "(\(low) >= ? AND \(high) <= ?)"
        switch value.prefix {
        // `low <= high_q` is implied, but saying it bounds the scan of the `low` index.
        case .eq: return ("(\(low) >= ? AND \(low) <= ? AND \(high) <= ?)", [bound(range.low), bound(range.high), bound(range.high)])
        case .ne: return ("NOT \(contains)", [bound(range.low), bound(range.high)])
        case .gt: return ("\(high) > ?", [bound(range.high)])
        case .lt: return ("\(low) < ?", [bound(range.low)])
        case .ge: return ("\(high) > ? OR \(contains)", [bound(range.high), bound(range.low), bound(range.high)])
        case .le: return ("\(low) < ? OR \(contains)", [bound(range.low), bound(range.low), bound(range.high)])
        case .sa: return ("\(low) > ?", [bound(range.high)])
        case .eb: return ("\(high) < ?", [bound(range.low)])
        case .ap:
            let margin = value.approximateMargin(now: now())
            let wideLow = range.low.subtractingReportingOverflow(margin)
            let wideHigh = range.high.addingReportingOverflow(margin)
            return ("\(low) <= ? AND \(high) >= ?", [bound(wideHigh.overflow ? .max : wideHigh.partialValue),
                                                    bound(wideLow.overflow ? .min : wideLow.partialValue)])
        }
    }

    /// A point value against a search number: `eq` means within the precision of the search
    /// value (100 is 99.5 up to 100.5); the other prefixes compare with the value itself;
    /// `ap` allows 10% either way.
    static func number(_ value: NumberSearchValue, column: String = "value") -> Condition {
        switch value.prefix {
        case .eq: return ("\(column) >= ? AND \(column) < ?", [value.low.sqlValue, value.high.sqlValue])
        case .ne: return ("NOT (\(column) >= ? AND \(column) < ?)", [value.low.sqlValue, value.high.sqlValue])
        case .gt, .sa: return ("\(column) > ?", [value.value.sqlValue])
        case .lt, .eb: return ("\(column) < ?", [value.value.sqlValue])
        case .ge: return ("\(column) >= ?", [value.value.sqlValue])
        case .le: return ("\(column) <= ?", [value.value.sqlValue])
        case .ap:
            let margin = abs(value.value) * 0.1
            return ("\(column) >= ? AND \(column) <= ?", [(value.value - margin).sqlValue,
                                                          (value.value + margin).sqlValue])
        }
    }

    static func quantity(_ value: QuantitySearchValue, column: String = "value", system: String = "system",
                         code: String = "code") -> Condition {
        var (sql, arguments) = number(value.number, column: column)
        sql = "(\(sql))"
        if let unit = value.code, !unit.isEmpty {
            sql += " AND \(code) = ?"
            arguments.append(unit.sqlValue)
        }
        if let unitSystem = value.system, !unitSystem.isEmpty {
            sql += " AND \(system) = ?"
            arguments.append(unitSystem.sqlValue)
        }
        return (sql, arguments)
    }

    static func and(_ first: Condition, _ second: Condition) -> Condition {
        ("(\(first.sql)) AND (\(second.sql))", first.arguments + second.arguments)
    }
}
