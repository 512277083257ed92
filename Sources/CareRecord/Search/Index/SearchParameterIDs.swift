import FHIR
import GRDB

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
    static func prepare(_ db: Database, definitions: FHIRSearchDefinitions) throws -> SearchParameterIDs {
        var ids = try load(db)
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
            let insert = try db.makeStatement(sql: "INSERT OR IGNORE INTO search_param (resource_type, code) VALUES (?, ?)")
            for (type, key) in missing { try insert.execute(arguments: [type, key]) }
            ids = try load(db)
        }
        return SearchParameterIDs(ids: ids, definitions: definitions)
    }

    private static func load(_ db: Database) throws -> [String: [String: Int64]] {
        var ids: [String: [String: Int64]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT pid, resource_type, code FROM search_param") {
            ids[row[1], default: [:]][row[2]] = row[0]
        }
        return ids
    }
}
