import PostgresNIO

/// The statements one connection has prepared, by their text and the types of their
/// arguments, so that a query seen before is only bound and run: no parse and, once the
/// server settles on a generic plan, no planning.
///
/// Why: a read by id as an unnamed statement is parsed and planned on every run. Measured
/// with pgbench on the build machine (16 clients, the read by id's join): 12,000 statements/s
/// unnamed, 40,000/s prepared. The same holds for a search, whose SQL repeats for every query
/// of one shape while its values are bound.
///
/// A statement is prepared the second time it is seen, so one-off statements (an import's
/// multi-row INSERTs, a migration) never take a server-side slot; at most `capacity` stay
/// prepared, and the one used longest ago is closed to make room.
struct PreparedStatements {
    /// One statement's text and argument types, as the cache knows it.
    struct Key: Hashable {
        let sql: String
        let types: [UInt8]

        init(_ sql: String, _ arguments: [SQLValue]) {
            self.sql = sql
            types = arguments.map(Self.code)
        }

        /// The SQL numbered for PostgreSQL, each placeholder cast to its argument's type: a
        /// prepared statement's parameters get their types from the text, as an unnamed
        /// statement's get them from its bindings, so both read a value the same way.
        var typedSQL: (sql: String, count: Int) {
            PostgresPlaceholders.numbered(sql, casts: types.map(Self.cast))
        }

        private static func code(_ value: SQLValue) -> UInt8 {
            switch value {
            case .null: 0
            case .integer: 1
            case .real: 2
            case .text: 3
            case .blob: 4
            }
        }

        private static func cast(_ code: UInt8) -> String? {
            switch code {
            case 1: "int8"
            case 2: "float8"
            case 3: "text"
            case 4: "bytea"
            default: nil
            }
        }
    }

    /// Statements longer than this, or with more arguments, are never prepared: they are the
    /// generated bulk statements whose shape rarely repeats.
    static let longestSQL = 16_384
    static let mostArguments = 256

    let capacity: Int
    private var prepared: [Key: (query: PreparedQuery, used: Int)] = [:]
    private var seenOnce: Set<Key> = []
    private var clock = 0

    init(capacity: Int = 256) {
        self.capacity = capacity
    }

    /// The prepared statement for `key`, if there is one; marks it used.
    mutating func lookUp(_ key: Key) -> PreparedQuery? {
        guard let entry = prepared[key] else { return nil }
        clock += 1
        prepared[key] = (entry.query, clock)
        return entry.query
    }

    /// Whether `key` should be prepared now: the second time it is asked about.
    mutating func shouldPrepare(_ key: Key) -> Bool {
        guard key.sql.utf8.count <= Self.longestSQL, key.types.count <= Self.mostArguments else { return false }
        if seenOnce.remove(key) != nil { return true }
        // Bounded: a stream of one-off statements forgets the oldest sightings wholesale.
        if seenOnce.count >= capacity * 4 { seenOnce.removeAll(keepingCapacity: true) }
        seenOnce.insert(key)
        return false
    }

    /// Keeps `query` for `key`; returns the statement pushed out to make room, which the caller
    /// closes on the server.
    mutating func insert(_ query: PreparedQuery, for key: Key) -> PreparedQuery? {
        var evicted: PreparedQuery?
        if prepared.count >= capacity, let oldest = prepared.min(by: { $0.value.used < $1.value.used }) {
            evicted = prepared.removeValue(forKey: oldest.key)?.query
        }
        clock += 1
        prepared[key] = (query, clock)
        return evicted
    }

    /// Forgets `key` (after its run failed: the server may have dropped or invalidated it).
    mutating func remove(_ key: Key) -> PreparedQuery? {
        prepared.removeValue(forKey: key)?.query
    }

    var count: Int { prepared.count }
}
