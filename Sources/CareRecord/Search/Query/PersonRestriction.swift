import Storage

/// Keeps a PostgreSQL query that serves some persons to their rows (`PersonKey`): a test of
/// the distribution key on each table the query reads, so that Citus sends it to the servers
/// holding those persons and no others. Each test only narrows: the query's own conditions
/// still decide what it finds. SQLite, never distributed, has no key and gets no tests.
struct PersonRestriction: Sendable {
    /// The keys kept to; empty for no restriction.
    let keys: [Int64]

    static let none = PersonRestriction(keys: [])

    /// The keys as bound values.
    var arguments: [SQLValue] { keys.map(SQLValue.integer) }

    /// Rows of patients `ids`' records (their keys and `PersonKey.shared`), on `engine`.
    static func patients(_ ids: [String], on engine: SQLEngine) -> PersonRestriction {
        engine == .postgres ? PersonRestriction(keys: PersonKey.restriction(ids)) : .none
    }

    /// Rows no one person owns, on `engine`.
    static func shared(on engine: SQLEngine) -> PersonRestriction {
        engine == .postgres ? PersonRestriction(keys: [PersonKey.shared]) : .none
    }

    /// ` AND alias.person IN (?, ...)` for each of `aliases`, binding the keys; "" with none.
    func test(_ aliases: String..., arguments: inout [SQLValue]) -> String {
        guard !keys.isEmpty else { return "" }
        return aliases.map { alias in
            arguments += self.arguments
            return " AND \(alias).person \(RidSet.inList(keys.count))"
        }.joined()
    }

    /// The test alone, as a condition (`TRUE` with none).
    func condition(_ alias: String, arguments: inout [SQLValue]) -> String {
        guard !keys.isEmpty else { return "TRUE" }
        arguments += self.arguments
        return "\(alias).person \(RidSet.inList(keys.count))"
    }
}
