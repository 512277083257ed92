import FHIR
import Storage

/// `_include` and `_revinclude` for one page: the resources the matches refer to (or that
/// refer to them) through the named reference parameters, and with `:iterate` the same again
/// from what was included, until nothing new turns up. Each resource is returned once and
/// never when it is a match of the page.
///
/// One statement a round (`next`), whose rows the caller hands back (`take`), so that the
/// rounds run on a synchronous connection or from async code alike (`SearchExecutor`).
struct SearchIncludes {
    /// Rounds of `:iterate`, at most: enough for any real chain (Observation -> Encounter ->
    /// Patient -> Organization) without letting a cycle run on.
    static let maximumRounds = 4

    private let query: SearchQuery
    private var seen: Set<Int64>
    private var found: [StoredVersion] = []
    /// What the next round starts from: the matches, then what the last round added.
    private var sources: [(rid: Int64, key: ResourceKey)]
    private var round = 0
    private var finished: Bool
    /// The current round's statements not yet given, and what its rows added so far.
    private var pending: [SearchStatements.Statement] = []
    private var added: [(rid: Int64, key: ResourceKey)] = []

    init(_ query: SearchQuery, matches: [(rid: Int64, key: ResourceKey)]) {
        self.query = query
        seen = Set(matches.map(\.rid))
        sources = matches
        finished = (query.includes.isEmpty && query.revIncludes.isEmpty) || matches.isEmpty
    }

    /// The included resources, once `next` has given nil.
    var resources: [StoredVersion] { Array(found.prefix(SearchExecutor.includeLimit)) }

    /// The next statement, or nil when the includes are complete. A round is one statement,
    /// or several when its values would pass what one statement may bind.
    mutating func next() -> SearchStatements.Statement? {
        if pending.isEmpty { startRound() }
        guard !pending.isEmpty else { return nil }
        return pending.removeFirst()
    }

    private mutating func startRound() {
        guard !finished, round < Self.maximumRounds else { return }
        let includes = query.includes.filter { round == 0 || $0.iterate }
        let revIncludes = query.revIncludes.filter { round == 0 || $0.iterate }
        var parts = includes.compactMap { include in
            Self.forward(include, from: sources.filter { $0.key.type == include.sourceType }.map(\.rid))
        }
        parts += revIncludes.flatMap { Self.reverse($0, to: sources.map(\.key)) }
        round += 1
        added = []
        var statement: [(sql: String, arguments: [SQLValue])] = []
        let visibility = query.visibility
        func close() {
            guard !statement.isEmpty else { return }
            var arguments = statement.flatMap(\.arguments)
            let sql = Self.withVersions(statement.map(\.sql), restriction: .none, visibility: visibility, arguments: &arguments)
            pending.append(SearchStatements.Statement(sql: sql, arguments: arguments))
            statement = []
        }
        for part in parts {
            if statement.reduce(0, { $0 + $1.arguments.count }) + part.arguments.count > Self.maximumArguments { close() }
            statement.append(part)
        }
        close()
        if pending.isEmpty { finished = true }
    }

    /// Values bound in one statement, at most: under SQLite's limit (32,766) and PostgreSQL's.
    static let maximumArguments = 30_000

    /// Takes the rows of the statement `next` gave.
    mutating func take(_ rows: [SQLRow]) {
        for row in rows {
            // Each part's rows in `rid` order, the parts in the order they were asked.
            let (rid, version) = Self.included(row)
            guard seen.insert(rid).inserted else { continue }
            added.append((rid, version.key))
            found.append(version)
        }
        guard pending.isEmpty else { return }
        // The round is complete.
        sources = added
        if added.isEmpty || found.count >= SearchExecutor.includeLimit { finished = true }
    }

    /// One round's includes in one statement: each part selects the rids it includes (one
    /// column), and the rows come back part by part, each part's in `rid` order, with the
    /// part's number, the resource's rid and key and its current version.
    ///
    /// Each part keeps its first `includeLimit` rids (a page shows no more than that in all), so
    /// that a page whose matches refer to or from a hundred thousand resources reads the
    /// bodies of a bounded number.
    ///
    /// It reads only the rows of `restriction`'s persons and, with a `visibility`, only what
    /// its viewer may see; their arguments are appended to `arguments` (after the parts').
    static func withVersions(_ parts: [String], restriction: PersonRestriction, visibility: VisibilityFilter? = nil,
                             arguments: inout [SQLValue]) -> String {
        let persons = restriction.test("t", "v", arguments: &arguments)
        let seen = visibility.map { " AND " + $0.condition("t", &arguments) } ?? ""
        let numbered = parts.enumerated().map {
            "SELECT \($0.offset) AS n, rid FROM (\($0.element) ORDER BY 1 LIMIT \(SearchExecutor.includeLimit)) AS p\($0.offset)"
        }
        return """
            SELECT i.n, t.rid, t.type, t.id, \(RecordReads.joinedVersionColumns) FROM (\(numbered.joined(separator: " UNION ALL "))) AS i \
            JOIN resource t ON t.rid = i.rid JOIN resource_version v ON v.seq = t.seq \
            WHERE TRUE\(persons)\(seen) ORDER BY i.n, t.rid
            """
    }

    /// The rids of live resources that resources `rids` refer to through the include's
    /// parameters; nil when there can be none.
    private static func forward(_ include: SearchInclude, from rids: [Int64]) -> (sql: String, arguments: [SQLValue])? {
        guard !rids.isEmpty, !include.pids.isEmpty else { return nil }
        var arguments: [SQLValue] = rids.map(\.sqlValue) + include.pids.map(\.sqlValue)
        var sql = """
            SELECT DISTINCT t.rid FROM search_reference ref JOIN resource t
            ON t.type = ref.target_type AND t.id = ref.target_id
            WHERE ref.rid \(RidSet.inList(rids.count)) AND ref.pid \(RidSet.inList(include.pids.count)) AND t.deleted = 0
            """
        if let target = include.targetType {
            sql += " AND ref.target_type = ?"
            arguments.append(target.sqlValue)
        }
        return (sql, arguments)
    }

    /// The rids of live resources of the include's source type that refer to any of `keys`:
    /// one part per type of target.
    private static func reverse(_ include: SearchInclude, to keys: [ResourceKey]) -> [(sql: String, arguments: [SQLValue])] {
        guard !include.pids.isEmpty else { return [] }
        let byType = Dictionary(grouping: keys, by: \.type)
        return byType.sorted(by: { $0.key < $1.key }).compactMap { type, targets in
            if let wanted = include.targetType, wanted != type { return nil }
            var arguments: [SQLValue] = [type.sqlValue]
            arguments += targets.map(\.id.sqlValue)
            arguments += include.pids.map(\.sqlValue)
            let sql = """
                SELECT DISTINCT s.rid FROM search_reference ref JOIN resource s ON s.rid = ref.rid
                WHERE ref.target_type = ? AND ref.target_id \(RidSet.inList(targets.count))
                AND ref.pid \(RidSet.inList(include.pids.count)) AND s.deleted = 0
                """
            return (sql, arguments)
        }
    }

    /// A row of a `withVersions` statement: the resource's rid and current version.
    static func included(_ row: SQLRow) -> (rid: Int64, version: StoredVersion) {
        let key = ResourceKey(row[2].string ?? "", row[3].string ?? "")
        return (row[1].int64 ?? 0, RecordReads.storedVersion(key: key, row: row, offset: 4))
    }

    /// `rid, type, id` at the start of a row.
    static func ridAndKey(_ row: SQLRow) -> (rid: Int64, key: ResourceKey) {
        (row[0].int64 ?? 0, ResourceKey(row[1].string ?? "", row[2].string ?? ""))
    }
}
