import FHIR
import Storage

/// The numbers (`pid`) that stand for (resource type, parameter key) pairs in the index.
///
/// Every key the indexer can emit (each parameter's code and the derived keys of modifiers,
/// `code:text`, `code:of-type`, `code:identifier`) is given its number when the store is
/// opened, before any write: a number is then never assigned inside a transaction that could
/// roll back, and readers and writers share one immutable map.
final class SearchParameterIDs: Sendable {
    static let derivedSuffixes = ["text", "of-type", "identifier"]

    private let ids: [String: [String: Int64]]
    /// Each number's resource type: whose rows a clause reads (`SearchQuery.typesRead`).
    private let types: [Int64: String]
    private let definitions: FHIRSearchDefinitions

    private init(ids: [String: [String: Int64]], definitions: FHIRSearchDefinitions) {
        self.ids = ids
        self.definitions = definitions
        types = Dictionary(ids.flatMap { type, keys in keys.values.map { ($0, type) } }, uniquingKeysWith: { first, _ in first })
    }

    /// The resource type whose parameter `pid` numbers.
    func type(of pid: Int64) -> String? {
        types[pid]
    }

    /// The number of `key` on `type`, nil when the key is not one the definitions give. For
    /// writing: the indexer emits only canonical parameters.
    func pid(_ type: String, _ key: String) -> Int64? {
        ids[type]?[key]
    }

    /// The numbers whose rows hold `key`'s values on `type`, for reading: an alias
    /// (`patient`, `combo-code:text`) reads the rows of the parameters it repeats.
    func pids(_ type: String, _ key: String) -> [Int64] {
        let (code, suffix) = key.firstIndex(of: ":").map { (String(key[..<$0]), String(key[$0...])) } ?? (key, "")
        return definitions.indexedCodes(code, of: type).compactMap { ids[type]?[$0 + suffix] }
    }

    /// Registers every key the definitions give (numbers already assigned are kept) and
    /// loads the whole map.
    static func prepare(_ connection: any SQLConnection, definitions: FHIRSearchDefinitions) throws -> SearchParameterIDs {
        var ids = try load(connection)
        var missing: [(type: String, key: String)] = []
        for type in FHIRDefinitions.r4.resourceTypes.sorted() {
            for code in definitions.parameters(of: type).keys.sorted() {
                for key in [code] + derivedSuffixes.map({ "\(code):\($0)" }) where ids[type]?[key] == nil {
                    missing.append((type, key))
                }
            }
        }
        // Usually nothing: only a new store, or new definitions, have keys without numbers.
        if !missing.isEmpty {
            try register(missing, on: connection)
            ids = try load(connection)
        }
        return SearchParameterIDs(ids: ids, definitions: definitions)
    }

    /// Gives numbers to `keys`: a new store has some 6,000.
    private static func register(_ keys: [(type: String, key: String)], on connection: any SQLConnection) throws {
        switch connection.engine {
        case .sqlite:
            for start in stride(from: 0, to: keys.count, by: 500) {
                let chunk = keys[start..<min(start + 500, keys.count)]
                try connection.execute("""
                    INSERT INTO search_param (resource_type, code) VALUES \(Array(repeating: "(?, ?)", count: chunk.count).joined(separator: ", "))
                    ON CONFLICT DO NOTHING
                    """, chunk.flatMap { [SQLValue.text($0.type), .text($0.key)] })
            }
        case .postgres:
            // One statement of two arrays: each statement there is a round trip, and each
            // bound value costs the client as much as the server's work on it.
            try connection.execute("""
                INSERT INTO search_param (resource_type, code)
                SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS text[])) ON CONFLICT DO NOTHING
                """, [.text(PostgresArray.literal(keys.map(\.type))), .text(PostgresArray.literal(keys.map(\.key)))])
        }
    }

    private static func load(_ connection: any SQLConnection) throws -> [String: [String: Int64]] {
        var ids: [String: [String: Int64]] = [:]
        switch connection.engine {
        case .sqlite:
            for row in try connection.fetchAll("SELECT pid, resource_type, code FROM search_param") {
                guard let pid = row[0].int64, let type = row[1].string, let code = row[2].string else { continue }
                ids[type, default: [:]][code] = pid
            }
        case .postgres:
            // One cell of "pid type code" lines rather than 6,000 rows: PostgreSQL's client
            // decodes row by row, which made this a quarter of opening a record.
            let text = try connection.fetchOne("""
                SELECT string_agg(pid || ' ' || resource_type || ' ' || code, E'\\n') FROM search_param
                """)?[0].string ?? ""
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: " ")
                guard parts.count == 3, let pid = Int64(parts[0]) else {
                    throw StorageError(.corrupt, detail: "search_param holds a row that is not a number, a type and a code: \(line)")
                }
                ids[String(parts[1]), default: [:]][String(parts[2])] = pid
            }
        }
        return ids
    }
}
