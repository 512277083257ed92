import Access
import App
import CareRecord
import FHIR
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Storage
import TestSupport

/// Runs one test against the real server on a loopback port, over its own SQLite file in a
/// fresh temporary directory that is removed afterwards, or, when JOINEDUP_TEST_ENGINE is
/// `postgres` (`scripts/test` runs these suites a second time so, and a third reading from a
/// replica), over a schema of its own on the test PostgreSQL server. The test gets an HTTP client and the record itself, so that it
/// can check what was (or was not) stored.
enum TestServer {
    static var engine: SQLEngine {
        ProcessInfo.processInfo.environment["JOINEDUP_TEST_ENGINE"] == "postgres" ? .postgres : .sqlite
    }

    /// With JOINEDUP_TEST_READ_REPLICA set (`scripts/test`'s third pass), the servers on
    /// PostgreSQL read from the test server's streaming replica (`--read-replica`), so every
    /// HTTP test also checks that a client reads its own writes.
    static var readReplica: String? {
        let environment = ProcessInfo.processInfo.environment
        return environment["JOINEDUP_TEST_READ_REPLICA"] == nil ? nil : environment["JOINEDUP_TEST_POSTGRES_REPLICA"]
    }

    static func run<Value: Sendable>(
        maxBodyBytes: Int = 16 << 20,
        maxJSONDepth: Int = 64,
        clock: TestClock = TestClock(),
        policy: AccessPolicy = .standard,
        rateLimits: RateLimits = RateLimits(),
        _ test: @Sendable (FHIRClient, CareRecord) async throws -> Value
    ) async throws -> Value {
        guard engine == .postgres else {
            return try await serve(maxBodyBytes: maxBodyBytes, maxJSONDepth: maxJSONDepth, clock: clock, policy: policy,
                                   rateLimits: rateLimits, test)
        }
        return try await postgresGate.run {
            try await serve(maxBodyBytes: maxBodyBytes, maxJSONDepth: maxJSONDepth, clock: clock, policy: policy,
                            rateLimits: rateLimits, test)
        }
    }

    /// How many servers on PostgreSQL run at once (see `TestGate`).
    private static let postgresGate = TestGate(width: 8)

    private static func serve<Value: Sendable>(
        maxBodyBytes: Int, maxJSONDepth: Int, clock: TestClock, policy: AccessPolicy, rateLimits: RateLimits,
        _ test: @Sendable (FHIRClient, CareRecord) async throws -> Value
    ) async throws -> Value {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("joinedup-apptests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let configuration = AppConfiguration(
            host: "127.0.0.1", port: 0, database: directory.appendingPathComponent("record.sqlite").path,
            logLevel: .warning, maxBodyBytes: maxBodyBytes, maxJSONDepth: maxJSONDepth, policy: policy,
            rateLimits: rateLimits
        )
        let record = switch engine {
        case .sqlite: try CareRecord(path: configuration.database, environment: clock.environment)
        case .postgres:
            try await CareRecord.open(postgres: try PostgresAddress(try TestEngines.freshSchemaAddress()),
                                      environment: clock.environment, maximumReaders: 3,
                                      readReplica: try readReplica.map(PostgresAddress.init))
        }
        defer { record.close() }
        let keys = KeySet(issuer: "joinedup-tests")
        var logger = Logger(label: "joinedup-apptests")
        logger.logLevel = .warning
        let app = Application(
            router: buildRouter(record: record, configuration: configuration, keys: { keys }),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: logger
        )
        return try await app.test(.live) { client in
            try await test(FHIRClient(client: client, keys: keys), record)
        }
    }
}

/// Time under the test's control. Every write reads the clock once, and the clock then moves
/// on one second, so each version gets its own known `lastUpdated`: the first write of a test
/// is at 2026-01-01T00:00:00.000Z, the second one second later, and so on.
///
/// `@unchecked Sendable`: the only stored state, `next`, is read and written under `lock`.
final class TestClock: @unchecked Sendable {
    /// 2026-01-01T00:00:00Z (a Thursday).
    static let start: Int64 = 1_767_225_600_000

    private let lock = NSLock()
    private var next: Int64

    init(startingAt milliseconds: Int64 = TestClock.start) {
        next = milliseconds
    }

    /// The instant the next write will get, without taking it.
    var upcoming: FHIRInstant {
        lock.withLock { FHIRInstant(millisecondsSince1970: next) }
    }

    func now() -> FHIRInstant {
        lock.withLock {
            defer { next += 1000 }
            return FHIRInstant(millisecondsSince1970: next)
        }
    }

    var environment: RecordEnvironment {
        RecordEnvironment(now: { self.now() }, newID: { UUID().uuidString.lowercased() })
    }

    /// The instant of the `n`th write (0 based) of a test that began at `start`.
    static func instant(ofWrite n: Int) -> FHIRInstant {
        FHIRInstant(millisecondsSince1970: start + Int64(n) * 1000)
    }
}

extension CareRecord {
    /// Every version ever written, oldest first: empty when a test's requests stored nothing.
    func allVersions() async throws -> [StoredVersion] {
        try await changes(after: 0, limit: 1_000_000)
    }
}
