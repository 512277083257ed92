import Storage

/// A set of resources, as a SQL SELECT of `rid`s. Search parameters become these; chains and
/// `_has` nest them. Only placeholders go into the SQL text: every value a client sent is a
/// bound argument.
indirect enum RidSet: Sendable {
    /// Index rows of `table` for any of `pids` that meet `condition` (SQL over the table's
    /// columns, with `?` for `arguments`).
    case rows(table: String, pids: [Int64], condition: String, arguments: [SQLValue])
    /// Live resources of `types` (all types when empty) that meet `condition` over the
    /// `resource` row `r`: clauses that are not sets themselves (`_id`, `:not`, `:missing`).
    case resources(types: [String], condition: String, arguments: [SQLValue])
    /// Live resources of `types` (all types when empty) whose current version's full text
    /// `column` (`narrative` or `content`, never client text) matches `match` (`_text`,
    /// `_content`): an FTS5 query on SQLite, a `tsquery` on PostgreSQL.
    case fullText(column: String, match: String, types: [String], engine: SQLEngine)
    /// Any of the sets.
    case union([RidSet])
    /// Every one of the sets (a chain's target clauses all hold for one target).
    case intersection([RidSet])
    /// Resources whose reference (through one of `pids`) points at a resource of
    /// `targetType` in `targets`: a chained parameter.
    case referencing(pids: [Int64], targetType: String, targets: RidSet)
    /// Resources of `type` that some resource in `sources` points at through one of `pids`:
    /// reverse chaining (`_has`).
    case referencedBy(type: String, pids: [Int64], sources: RidSet)
    /// The resources of the set that a viewer may see (`VisibilityFilter`), `condition`
    /// being its test over the resource row `v`: what a chain or `_has` reads inside a
    /// search kept to a viewer's sight.
    case visible(RidSet, condition: String, arguments: [SQLValue])

    /// The SELECT, appending its arguments to `arguments`.
    func sql(_ arguments: inout [SQLValue]) -> String {
        switch self {
        case .rows(let table, let pids, let condition, let values):
            return "SELECT rid FROM \(table) WHERE \(Self.rowTest(pids, condition, values, &arguments))"
        case .resources(let types, let condition, let values):
            arguments += types.map(\.sqlValue)
            arguments += values
            let test = condition.isEmpty ? "" : " AND (\(condition))"
            let typeTest = types.isEmpty ? "TRUE" : "r.type \(Self.inList(types.count))"
            return "SELECT r.rid FROM resource r WHERE \(typeTest) AND r.deleted = 0\(test)"
        case .fullText(let column, let match, let types, let engine):
            arguments.append(match.sqlValue)
            arguments += types.map(\.sqlValue)
            let typeTest = types.isEmpty ? "" : " AND r.type \(Self.inList(types.count))"
            let (key, test) = engine == .sqlite ? ("rowid", "MATCH ?") : ("seq", "@@ CAST(? AS tsquery)")
            // Index rows are per version (`seq`); only the current version's count.
            return """
                SELECT r.rid FROM search_fulltext f JOIN resource_version v ON v.seq = f.\(key) \
                JOIN resource r ON r.type = v.type AND r.id = v.id \
                WHERE f.\(column) \(test) AND r.seq = v.seq\(typeTest)
                """
        case .union(let sets):
            return sets.map { $0.sql(&arguments) }.joined(separator: " UNION ")
        case .intersection(let sets):
            return sets.map { $0.sql(&arguments) }.joined(separator: " INTERSECT ")
        case .referencing(let pids, let targetType, let targets):
            arguments += pids.map(\.sqlValue)
            arguments.append(targetType.sqlValue)
            arguments.append(targetType.sqlValue)
            let inner = targets.sql(&arguments)
            return """
                SELECT ref.rid FROM search_reference ref WHERE ref.pid \(Self.inList(pids.count)) \
                AND ref.target_type = ? AND ref.target_id IN (SELECT c.id FROM resource c WHERE (c.type || '') = ? AND c.rid IN (\(inner)))
                """
        case .referencedBy(let type, let pids, let sources):
            arguments.append(type.sqlValue)
            arguments += pids.map(\.sqlValue)
            arguments.append(type.sqlValue)
            let inner = sources.sql(&arguments)
            // `(ref.target_type || '')`, not a bare column (SQLite's idiom is `+column`, which
            // PostgreSQL lacks for text): read the sources' own rows (primary key rid, pid), not every
            // reference to the type through the target index.
            return """
                SELECT h.rid FROM resource h WHERE h.type = ? AND h.deleted = 0 AND h.id IN (SELECT ref.target_id \
                FROM search_reference ref WHERE ref.pid \(Self.inList(pids.count)) AND (ref.target_type || '') = ? AND ref.rid IN (\(inner)))
                """
        case .visible(let set, let condition, let values):
            let inner = set.sql(&arguments)
            arguments += values
            return "SELECT v.rid FROM resource v WHERE v.rid IN (\(inner)) AND \(condition)"
        }
    }

    /// `= ?` or `IN (?, ?, ...)`; for an empty list a subquery with no rows (never true, and
    /// valid on both engines, where `IN ()` is SQLite's alone).
    /// A test that `column` (a rid) is in the set, for a clause that does not drive the
    /// search: index rows are probed per candidate through their (rid, pid) primary key, so
    /// an unselective clause (`status=final` over millions) costs a lookup per candidate
    /// instead of building its whole set.
    func contains(_ column: String, _ arguments: inout [SQLValue]) -> String {
        switch self {
        case .rows(let table, let pids, let condition, let values):
            return Self.probe(table, column, pids, condition, values, &arguments)
        case .union(let sets):
            return "(" + sets.map { $0.contains(column, &arguments) }.joined(separator: " OR ") + ")"
        case .intersection(let sets):
            return "(" + sets.map { $0.contains(column, &arguments) }.joined(separator: " AND ") + ")"
        case .referencedBy(let type, let pids, let sources):
            // Per candidate: the references to it, each tested against the sources by its own
            // primary key, instead of reading every source first.
            arguments.append(type.sqlValue)
            arguments += pids.map(\.sqlValue)
            let test = sources.contains("ref.rid", &arguments)
            return """
                EXISTS (SELECT 1 FROM search_reference ref WHERE ref.target_type = ? \
                AND ref.target_id = (SELECT t.id FROM resource t WHERE t.rid = \(column)) \
                AND ref.pid \(Self.inList(pids.count)) AND \(test)\(Self.perCandidate))
                """
        case .visible(let set, let condition, let values):
            let test = set.contains(column, &arguments)
            arguments += values
            return "(\(test) AND EXISTS (SELECT 1 FROM resource v WHERE v.rid = \(column) AND \(condition)))"
        default:
            return "\(column) IN (\(sql(&arguments)))"
        }
    }

    /// `EXISTS` an index row of `table` for the resource `column` meeting the set's test: one
    /// candidate's rows, read through the primary key, which begins with the rid.
    ///
    /// The parameter is tested as `pid + 0`, which no index can seek, so that the primary key is
    /// the only index that fits. On PostgreSQL the value index (`pid, code, system, person,
    /// rid`) holds the rid too, and a generic plan, which reckons a code one row in a million,
    /// chose it: it sought the code and read each of its thousands of rows for the rid (the
    /// person between them stops the seek), 0.11 ms a candidate where the primary key takes
    /// microseconds (subject and code at 1,000 people: p99 10 ms that way, 0.9 ms this way).
    ///
    /// The subquery ends with `LIMIT 1 OFFSET 0`, which keeps it a test per candidate:
    /// PostgreSQL turns a plain `EXISTS` into a semi-join, and in a generic plan (which cannot
    /// know that `code=85354-9` matches thousands) it read every index row of the code and
    /// sorted them to meet 25 candidates: 4 ms where 25 probes take 0.1 ms. SQLite runs it the
    /// same either way.
    static func probe(_ table: String, _ column: String, _ pids: [Int64], _ condition: String,
                      _ values: [SQLValue], _ arguments: inout [SQLValue]) -> String {
        let test = rowTest(pids, condition, values, &arguments, parameter: "(x.pid + 0)")
        return "EXISTS (SELECT 1 FROM \(table) x WHERE x.rid = \(column) AND \(test)\(perCandidate))"
    }

    static let perCandidate = " LIMIT 1 OFFSET 0"

    /// The test an index row of the set meets: its parameter is one of `pids`, and the
    /// `condition` (over the row's columns) holds when there is one.
    /// `parameter` is how the row's parameter column is written (`probe` keeps indexes off it).
    static func rowTest(_ pids: [Int64], _ condition: String, _ values: [SQLValue],
                        _ arguments: inout [SQLValue], parameter: String = "pid") -> String {
        arguments += pids.map(\.sqlValue)
        arguments += values
        return "\(parameter) \(inList(pids.count))" + (condition.isEmpty ? "" : " AND (\(condition))")
    }

    static func inList(_ count: Int) -> String {
        if count == 0 { return "IN (SELECT NULL WHERE FALSE)" }
        return count == 1 ? "= ?" : "IN (" + Array(repeating: "?", count: count).joined(separator: ", ") + ")"
    }
}

/// One condition of a search on the resources `r` being searched; clauses are ANDed.
enum SearchClause: Sendable {
    /// `r` is in the set, which drives the search (its rids are read first).
    case within(RidSet)
    /// `r` is in the set, tested per candidate (`RidSet.contains`).
    case member(RidSet)
    /// `r` has no index row of `table` for `pids` meeting `condition` (`:not`, `:missing=true`,
    /// `ne`): tested per candidate through the (rid, pid) primary key, never by building the
    /// complement.
    case without(table: String, pids: [Int64], condition: String, arguments: [SQLValue])
    /// `r` has some index row of `table` for `pids` (`:missing=false`).
    case having(table: String, pids: [Int64])
    /// `r` has one of these ids (`_id`): a handful of rows by key, so it drives the search
    /// on its own and every set is tested per candidate.
    case ids([String])
    /// A condition on `r` itself (`_id:not`, `:missing`) or its current version (`_lastUpdated`).
    case row(condition: String, arguments: [SQLValue])

    func sql(_ arguments: inout [SQLValue]) -> String {
        switch self {
        case .within(let set):
            return "r.rid IN (\(set.sql(&arguments)))"
        case .member(let set):
            return set.contains("r.rid", &arguments)
        case .without(let table, let pids, let condition, let values):
            return "NOT " + RidSet.probe(table, "r.rid", pids, condition, values, &arguments)
        case .having(let table, let pids):
            return RidSet.probe(table, "r.rid", pids, "", [], &arguments)
        case .ids(let ids):
            arguments += ids.map(\.sqlValue)
            return "r.id \(RidSet.inList(ids.count))"
        case .row(let condition, let values):
            arguments += values
            return "(\(condition))"
        }
    }
}
