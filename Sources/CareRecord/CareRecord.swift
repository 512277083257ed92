import FHIR
import Storage

/// The shared care record: every FHIR interaction on the versioned store, on one write path
/// that the HTTP routes, bundles and the importer all use. Resources are validated before the
/// write lock is taken; each interaction is one SQL transaction.
public final class CareRecord: Sendable {
    public let database: SQLiteDatabase
    let environment: RecordEnvironment
    let validator: ResourceValidator

    public init(database: SQLiteDatabase, environment: RecordEnvironment = .live,
                validator: ResourceValidator = ResourceValidator()) {
        self.database = database
        self.environment = environment
        self.validator = validator
    }

    /// Opens (creating and migrating) the embedded store at `path`.
    public convenience init(path: String, environment: RecordEnvironment = .live) throws {
        self.init(database: try SQLiteDatabase(path: path, migrations: CareRecordSchema.migrations),
                  environment: environment)
    }

    /// Runs `body` with a writer inside one write transaction.
    func write<T: Sendable>(_ body: @escaping @Sendable (RecordWriter<SQLiteTransaction>) throws -> T) async throws -> T {
        let environment = environment
        return try await database.pool.write { db in
            try body(RecordWriter(transaction: SQLiteTransaction(db: db), environment: environment))
        }
    }

    /// Checks that `json` is a valid resource of `type` (when given) and returns its object.
    public func validated(_ json: JSON, type: String? = nil) throws(RecordError) -> JSONObject {
        guard let object = json.objectValue else {
            throw RecordError(.invalid, .structure, "the body must be a JSON object holding a FHIR resource")
        }
        if let type, let declared = object["resourceType"]?.stringValue, declared != type {
            throw RecordError(.invalid, .invalid, "the resourceType in the body does not match the URL", at: ["resourceType"])
        }
        let issues = validator.validate(json)
        if issues.contains(where: { $0.severity == .error || $0.severity == .fatal }) {
            throw RecordError(.invalid, issues)
        }
        return object
    }
}
