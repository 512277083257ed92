import Foundation
import PostgresNIO

/// A `postgres://user[:password]@host[:port]/database[?sslmode=disable|require][&schema=NAME]`
/// address, as `--database` takes it. `schema` keeps a record in a schema of its own (created
/// if missing), so that one database can hold several (areas, or tests side by side). The
/// password never appears in `description`.
public struct PostgresAddress: Sendable, CustomStringConvertible {
    public let host: String
    public let port: Int
    public let username: String
    let password: String?
    public let database: String
    public let requireTLS: Bool
    /// The schema the record lives in; nil for PostgreSQL's default (`public`).
    public private(set) var schema: String?

    /// This address as a read replica of `primary`: the same record, so the primary's schema
    /// when this one names none; a different one is refused.
    public func replica(of primary: PostgresAddress) throws -> PostgresAddress {
        guard schema == nil || schema == primary.schema else {
            throw StorageError(.cannotOpen, detail: "a read replica holds the primary's schema (\(primary.schema ?? "public")), not \(schema ?? "public")")
        }
        var replica = self
        replica.schema = primary.schema
        return replica
    }

    /// Whether `text` names a PostgreSQL server rather than a SQLite file.
    public static func isAddress(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(_ text: String) throws {
        guard Self.isAddress(text), let url = URLComponents(string: text), let host = url.host, !host.isEmpty else {
            throw StorageError(.cannotOpen, detail: "not a postgres:// address")
        }
        self.host = host
        port = url.port ?? 5432
        username = url.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
        password = url.password.flatMap { $0.removingPercentEncoding }
        let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        database = path.isEmpty ? username : path
        schema = url.queryItems?.first { $0.name == "schema" }?.value
        if let schema, schema.isEmpty || schema.count > 63
            || !schema.unicodeScalars.allSatisfy({ ($0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil)) || $0 == "_" }) {
            throw StorageError(.cannotOpen, detail: "a schema name is 1 to 63 ASCII letters, digits and underscores")
        }
        let mode = url.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        switch mode {
        case "disable": requireTLS = false
        case "require": requireTLS = true
        default: throw StorageError(.cannotOpen, detail: "sslmode \(mode) is not supported: use disable or require")
        }
    }

    public var description: String {
        "postgres://\(username)@\(host):\(port)/\(database)" + (schema.map { "?schema=\($0)" } ?? "")
    }

    /// The advisory lock that serialises this record's writers: one per database and schema.
    var writerLock: Int64 {
        // FNV-1a, so the key is the same in every process (Swift's hashValue is seeded).
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(database)/\(schema ?? "")".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }

    /// Settings every connection starts with.
    ///
    /// `plan_cache_mode = force_generic_plan`: a prepared statement (`PreparedStatements`) is
    /// planned once, not at every run. Left to choose, the server planned most searches
    /// afresh for their values every time, since its estimate of planning's cost is small
    /// beside a generic plan's guessed rows; but a search's statements are small index
    /// lookups whose shape JoinedUp chooses itself (the driving set materialised, the other
    /// sets tested per candidate), so planning was most of their time: a chained search at
    /// 100,000 people spent 1.1 ms planning each of its statements and 0.3 ms running it,
    /// and ran in 0.4 ms on its generic plan, which was the same plan.
    static let sessionSettings: [(String, String)] = [("plan_cache_mode", "force_generic_plan")]

    func configuration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS = requireTLS
            ? .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            : .disable
        var configuration = PostgresConnection.Configuration(host: host, port: port, username: username,
                                                             password: password, database: database, tls: tls)
        var parameters = Self.sessionSettings
        if let schema { parameters.append(("search_path", schema)) }
        configuration.options.additionalStartupParameters = parameters
        return configuration
    }
}
