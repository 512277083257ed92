import FHIR
import GRDB
import Storage

/// The shared care record: every FHIR interaction on the versioned store, on one write path
/// that the HTTP routes, bundles and the importer all use. Resources are validated before the
/// write lock is taken; each interaction is one SQL transaction.
public final class CareRecord: Sendable {
    public let database: SQLiteDatabase
    let environment: RecordEnvironment
    let validator: ResourceValidator
    let search: SearchContext

    /// Opens the record on a migrated store. The search index is brought up to date first: a
    /// store whose rows were built by other rules, or by none, is re-indexed before it is used,
    /// and value indexes a killed bulk load left down are built.
    ///
    /// - Parameter searchIndexing: false writes no index rows (and searches find nothing): only
    ///   for measuring what indexing costs an import.
    public init(database: SQLiteDatabase, environment: RecordEnvironment = .live,
                validator: ResourceValidator = ResourceValidator(), searchIndexing: Bool = true) throws {
        self.database = database
        self.environment = environment
        self.validator = validator
        let definitions = FHIRSearchDefinitions.r4
        let indexer = searchIndexing ? SearchContext.indexer : nil
        self.search = try database.pool.write { db in
            let ids = try SearchParameterIDs.prepare(db, definitions: definitions)
            let context = SearchContext(definitions: definitions, ids: ids, indexer: indexer)
            if indexer != nil { try SearchIndexRebuild(db: db, context: context).bringUpToDate() }
            // A bulk load that was killed part-way left the value indexes down.
            if try ValueIndexes.areDown(db) { try ValueIndexes.build(db) }
            return context
        }
    }

    /// Opens (creating and migrating) the embedded store at `path`; `writerCacheMegabytes` as
    /// for `SQLiteDatabase` (a bulk load wants it large).
    public convenience init(path: String, environment: RecordEnvironment = .live, searchIndexing: Bool = true,
                            writerCacheMegabytes: Int = SQLiteDatabase.defaultWriterCacheMegabytes) throws {
        try self.init(database: try SQLiteDatabase(path: path, migrations: CareRecordSchema.migrations,
                                                   writerCacheMegabytes: writerCacheMegabytes),
                      environment: environment, searchIndexing: searchIndexing)
    }

    /// Runs `body` with a writer inside one write transaction.
    func write<T: Sendable>(_ body: @escaping @Sendable (RecordWriter<SQLiteTransaction>) throws -> T) async throws -> T {
        let environment = environment
        let search = search
        return try await database.pool.write { db in try body(Self.writer(db, environment: environment, search: search)) }
    }

    /// The writer over `db`'s open transaction.
    static func writer(_ db: Database, environment: RecordEnvironment, search: SearchContext) -> RecordWriter<SQLiteTransaction> {
        RecordWriter(transaction: SQLiteTransaction(db: db, search: search, clock: environment.now), environment: environment)
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
