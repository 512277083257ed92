import CareRecord
import FHIR
import Foundation
import Storage
import Synchronization
import TestSupport

/// A record on a fresh store (by default a SQLite file in its own temporary folder; `on(_:)`
/// also a schema of the test PostgreSQL server), with a clock that advances one second per
/// call and ids `id-1`, `id-2`, ..., so tests are deterministic.
final class TestRecord: Sendable {
    let folder: URL
    let record: CareRecord
    /// The PostgreSQL schema's address, for a record there.
    let postgresAddress: String?

    init() throws {
        folder = Self.newFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        record = try CareRecord(path: folder.appendingPathComponent("record.sqlite").path, environment: Self.environment())
        postgresAddress = nil
    }

    private init(folder: URL, record: CareRecord, postgresAddress: String) {
        self.folder = folder
        self.record = record
        self.postgresAddress = postgresAddress
    }

    /// The same store opened again, as a restarted process opens it (for a test that checks
    /// what opening mends).
    func reopened() async throws -> CareRecord {
        if let postgresAddress {
            return try await CareRecord.open(postgres: try PostgresAddress(postgresAddress), maximumReaders: 3)
        }
        return try CareRecord(path: path)
    }

    /// A fresh record on `engine`.
    static func on(_ engine: SQLEngine) async throws -> TestRecord {
        switch engine {
        case .sqlite:
            return try TestRecord()
        case .postgres:
            let address = try TestEngines.freshSchemaAddress()
            let record = try await CareRecord.open(postgres: try PostgresAddress(address), environment: environment(),
                                                   maximumReaders: 3)
            // A folder all the same, for the files a test imports.
            let folder = newFolder()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return TestRecord(folder: folder, record: record, postgresAddress: address)
        }
    }

    deinit {
        record.close()
        try? FileManager.default.removeItem(at: folder)
    }

    var path: String { folder.appendingPathComponent("record.sqlite").path }

    private static func newFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("joinedup-test-\(UUID().uuidString)")
    }

    private static func environment() -> RecordEnvironment {
        let tick = Counter()
        let serial = Counter()
        return RecordEnvironment(
            now: { FHIRInstant(millisecondsSince1970: 1_764_547_200_000 + 1000 * Int64(tick.next())) },
            newID: { "id-\(serial.next())" }
        )
    }
}

/// Parses JSON text written in a test.
func json(_ text: String) throws -> JSON {
    try JSONParser().parse(text)
}

/// Parses stored bytes back into JSON.
func json(_ bytes: [UInt8]?) throws -> JSON {
    try JSONParser().parse(bytes ?? [])
}

func patient(nhs: String = "9434765919", family: String = "Smith", id: String? = nil) -> JSON {
    var object: JSONObject = [
        "resourceType": "Patient",
        "identifier": [["system": "https://fhir.nhs.uk/Id/nhs-number", "value": .string(nhs)]],
        "name": [["family": .string(family)]],
    ]
    if let id { object["id"] = .string(id) }
    return .object(object)
}

/// The Synthea fixtures beside the project (`../shared/fixtures/synthea-r4`).
enum Fixtures {
    static let synthea: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/fixtures/synthea-r4")

    /// Organisation and practitioner files first, then the patients.
    static func syntheaFiles() throws -> [URL] {
        let files = try FileManager.default.contentsOfDirectory(at: synthea, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
        let shared = files.filter { $0.lastPathComponent.hasPrefix("hospital") || $0.lastPathComponent.hasPrefix("practitioner") }
        return shared.sorted { $0.path < $1.path } + files.filter { !shared.contains($0) }.sorted { $0.path < $1.path }
    }
}

/// A thread-safe counter for the injected clock and ids.
final class Counter: Sendable {
    private let value = Mutex<Int>(0)

    func next() -> Int {
        value.withLock { value in
            value += 1
            return value
        }
    }
}
