import Foundation
import Storage
import Testing

/// The engines a test runs on: SQLite always, PostgreSQL when `scripts/test` (through
/// `scripts/with-postgres`) has started a server and named it in JOINEDUP_TEST_POSTGRES.
public enum TestEngines {
    public static var postgresAddress: String? {
        ProcessInfo.processInfo.environment["JOINEDUP_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public static var available: [SQLEngine] {
        postgresAddress == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    /// The test server's address with a new schema of its own, for one test's store.
    public static func freshSchemaAddress() throws -> String {
        let base = try #require(postgresAddress)
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        return base + (base.contains("?") ? "&" : "?") + "schema=\(schema)"
    }
}

/// A fresh, empty database on `engine`: a new file in a temporary folder, or a new schema of
/// the test server. `reopen` opens the same store again (with other migrations), as a restart would.
public struct TestDatabase {
    public let engine: SQLEngine
    public let location: String

    public init(_ engine: SQLEngine) throws {
        self.engine = engine
        switch engine {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("joinedup-storage-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            location = folder.appendingPathComponent("db.sqlite").path
        case .postgres:
            location = try TestEngines.freshSchemaAddress()
        }
    }

    public func open(_ migrations: [Migration]) async throws -> any SQLDatabase {
        switch engine {
        case .sqlite: try SQLiteDatabase(path: location, migrations: migrations)
        case .postgres: try await PostgresDatabase.open(try PostgresAddress(location), migrations: migrations)
        }
    }

    /// Removes the file or drops the schema.
    public func remove() async {
        switch engine {
        case .sqlite:
            try? FileManager.default.removeItem(at: URL(fileURLWithPath: location).deletingLastPathComponent())
        case .postgres:
            guard let address = try? PostgresAddress(location), let schema = address.schema,
                  let admin = try? await PostgresDatabase.open(try PostgresAddress(TestEngines.postgresAddress!), migrations: [])
            else { return }
            _ = try? await admin.write { try $0.execute("DROP SCHEMA \"\(schema)\" CASCADE") }
            admin.close()
        }
    }
}

extension SQLDatabase {
    /// Closes a PostgreSQL database's connections (a SQLite one closes when released).
    public func close() {
        (self as? PostgresDatabase)?.close()
    }
}
