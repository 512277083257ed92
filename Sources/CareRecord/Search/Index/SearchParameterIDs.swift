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
    private let definitions: FHIRSearchDefinitions

    private init(ids: [String: [String: Int64]], definitions: FHIRSearchDefinitions) {
        self.ids = ids
        self.definitions = definitions
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
        var missing: [(String, String)] = []
        for type in FHIRDefinitions.r4.resourceTypes.sorted() {
            for code in definitions.parameters(of: type).keys.sorted() {
                for key in [code] + derivedSuffixes.map({ "\(code):\($0)" }) where ids[type]?[key] == nil {
                    missing.append((type, key))
                }
            }
        }
        // Usually nothing: only a new store, or new definitions, have keys without numbers.
        if !missing.isEmpty {
            // In chunks of many rows: on PostgreSQL each statement is a round trip, and a new
            // store has some 6,000 keys.
            for start in stride(from: 0, to: missing.count, by: 500) {
                let chunk = missing[start..<min(start + 500, missing.count)]
                try connection.execute("""
                    INSERT INTO search_param (resource_type, code) VALUES \(Array(repeating: "(?, ?)", count: chunk.count).joined(separator: ", "))
                    ON CONFLICT DO NOTHING
                    """, chunk.flatMap { [SQLValue.text($0.0), .text($0.1)] })
            }
            ids = try load(connection)
        }
        return SearchParameterIDs(ids: ids, definitions: definitions)
    }

    private static func load(_ connection: any SQLConnection) throws -> [String: [String: Int64]] {
        var ids: [String: [String: Int64]] = [:]
        for row in try connection.fetchAll("SELECT pid, resource_type, code FROM search_param") {
            guard let pid = row[0].int64, let type = row[1].string, let code = row[2].string else { continue }
            ids[type, default: [:]][code] = pid
        }
        return ids
    }
}
