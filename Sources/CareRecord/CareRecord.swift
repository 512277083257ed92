import FHIR
import GRDB
import Storage

/// The shared care record: every FHIR interaction on the versioned store, on one write path
/// that the HTTP routes, bundles and the importer all use. Resources are validated before the
/// write lock is taken; each interaction is one SQL transaction.
public final class CareRecord: Sendable {
    /// The engine that holds the record.
    enum Engine: Sendable {
        case sqlite(SQLiteDatabase)
        case postgres(PostgresDatabase)
    }

    let engine: Engine
    let environment: RecordEnvironment
    let validator: ResourceValidator
    let search: SearchContext
    /// PostgreSQL's reads by id, gathered into one statement when they arrive together.
    let currentReads: ReadCoalescer<ResourceKey, StoredVersion?>?
    /// Where audit entries of requests that wrote nothing go (`audit(_:)`).
    let auditSink: AuditSink
    /// Who viewers held to relationships are in the record, for a few seconds (`ViewerIdentities`).
    let viewerIdentities = ViewerIdentities()

    enum AuditSink: Sendable {
        /// A SQLite file's journal and its loader into the log.
        case journal(AuditJournalLoader)
        /// Committed to the log in groups: PostgreSQL, or a SQLite store opened without a journal.
        case batches(AuditBatches)
    }

    /// The embedded store, for what only it does (bulk-load tuning, checkpoints, the demo
    /// marker); nil for a record on PostgreSQL.
    public var sqliteDatabase: SQLiteDatabase? {
        if case .sqlite(let database) = engine { database } else { nil }
    }

    /// The store, as either engine's `SQLDatabase` (for what works on both: a copy, a digest).
    var database: any SQLDatabase {
        switch engine {
        case .sqlite(let database): database
        case .postgres(let database): database
        }
    }

    /// Which engine holds the record.
    public var engineKind: SQLEngine {
        switch engine {
        case .sqlite: .sqlite
        case .postgres: .postgres
        }
    }

    /// Opens the record on a migrated store. The search index is brought up to date first: a
    /// store whose rows were built by other rules, or by none, is re-indexed before it is used,
    /// and value indexes a killed bulk load left down are built.
    ///
    /// - Parameter searchIndexing: false writes no index rows (and searches find nothing): only
    ///   for measuring what indexing costs an import.
    ///
    /// - Parameter auditJournal: the folder of the audit journal (`AuditJournal`); its
    ///   segments that no living process holds are loaded into the log first. Without one,
    ///   entries of reads are committed to the log as they come.
    public init(database: SQLiteDatabase, environment: RecordEnvironment = .live,
                validator: ResourceValidator = ResourceValidator(), searchIndexing: Bool = true,
                auditJournal folder: String? = nil) throws {
        self.engine = .sqlite(database)
        self.environment = environment
        self.validator = validator
        self.currentReads = nil
        if let folder {
            let journal = try AuditJournal(folder: folder)
            for orphan in AuditJournal.orphans(in: folder) {
                try database.pool.write { db in try AuditChain.append(orphan.entries, on: SQLiteConnection(db)) }
                AuditJournal.discard(path: orphan.path, descriptor: orphan.descriptor)
            }
            auditSink = .journal(AuditJournalLoader(journal: journal) { entries in
                try await database.write { connection in try AuditChain.append(entries, on: connection) }
            })
        } else {
            auditSink = .batches(AuditBatches())
        }
        let definitions = FHIRSearchDefinitions.r4
        let indexer = searchIndexing ? SearchContext.indexer : nil
        self.search = try database.pool.write { db in
            let ids = try SearchParameterIDs.prepare(SQLiteConnection(db), definitions: definitions)
            let context = SearchContext(definitions: definitions, ids: ids, indexer: indexer, engine: .sqlite)
            if indexer != nil { try SearchIndexRebuild(db: db, context: context).bringUpToDate() }
            // A bulk load that was killed part-way left the value indexes down.
            if try ValueIndexes.areDown(db) { try ValueIndexes.build(db) }
            return context
        }
    }

    private init(engine: Engine, environment: RecordEnvironment, validator: ResourceValidator, search: SearchContext) {
        self.engine = engine
        self.environment = environment
        self.validator = validator
        self.search = search
        auditSink = .batches(AuditBatches())
        if case .postgres(let database) = engine {
            currentReads = ReadCoalescer { keys in
                try await Self.currentVersions(database, keys)
            }
        } else {
            currentReads = nil
        }
    }

    /// Opens (creating and migrating) the record in a PostgreSQL database, brought up to date
    /// as `init(database:)` does.
    /// `maximumReaders` bounds its reader connections (one more is the writer's).
    public static func open(postgres address: PostgresAddress, environment: RecordEnvironment = .live,
                            validator: ResourceValidator = ResourceValidator(), searchIndexing: Bool = true,
                            maximumReaders: Int = PostgresDatabase.defaultMaximumReaders,
                            readReplica: PostgresAddress? = nil) async throws -> CareRecord {
        let database = try await PostgresDatabase.open(address, migrations: CareRecordSchema.migrations,
                                                       maximumReaders: maximumReaders, readReplica: readReplica)
        let definitions = FHIRSearchDefinitions.r4
        let indexer = searchIndexing ? SearchContext.indexer : nil
        do {
            let search = try await database.write { connection in
                let ids = try SearchParameterIDs.prepare(connection, definitions: definitions)
                let context = SearchContext(definitions: definitions, ids: ids, indexer: indexer, engine: .postgres)
                if indexer != nil { try SQLSearchIndexRebuild(connection: connection, context: context).bringUpToDate() }
                // A bulk load that was killed part-way left the value indexes down (or one is
                // running in another process: it then goes on with them up).
                if try ValueIndexes.areDown(connection) { try ValueIndexes.build(connection) }
                return context
            }
            return CareRecord(engine: .postgres(database), environment: environment, validator: validator, search: search)
        } catch {
            database.close()
            throw error
        }
    }

    /// Opens (creating and migrating) the record wherever `location` says: the one way
    /// commands open it, so every command runs on either engine. `writerCacheMegabytes` is
    /// SQLite's alone, `maximumReaders` PostgreSQL's.
    public static func open(_ location: StoreLocation, environment: RecordEnvironment = .live,
                            searchIndexing: Bool = true,
                            writerCacheMegabytes: Int = SQLiteDatabase.defaultWriterCacheMegabytes,
                            maximumReaders: Int = PostgresDatabase.defaultMaximumReaders,
                            readReplica: PostgresAddress? = nil) async throws -> CareRecord {
        switch location {
        case .sqlite(let path):
            if readReplica != nil {
                throw StorageError(.cannotOpen, detail: "a read replica serves a PostgreSQL record; \(path) is a SQLite file")
            }
            return try CareRecord(path: path, environment: environment, searchIndexing: searchIndexing,
                                  writerCacheMegabytes: writerCacheMegabytes)
        case .postgres(let address):
            return try await open(postgres: address, environment: environment, searchIndexing: searchIndexing,
                                  maximumReaders: maximumReaders, readReplica: readReplica)
        }
    }

    /// Closes a PostgreSQL record's connections (a SQLite one closes when released).
    public func close() {
        if case .postgres(let database) = engine { database.close() }
    }

    /// Opens (creating and migrating) the embedded store at `path`; `writerCacheMegabytes` as
    /// for `SQLiteDatabase` (a bulk load wants it large).
    public convenience init(path: String, environment: RecordEnvironment = .live, searchIndexing: Bool = true,
                            writerCacheMegabytes: Int = SQLiteDatabase.defaultWriterCacheMegabytes) throws {
        try self.init(database: try SQLiteDatabase(path: path, migrations: CareRecordSchema.migrations,
                                                   writerCacheMegabytes: writerCacheMegabytes),
                      environment: environment, searchIndexing: searchIndexing, auditJournal: path + "-audit")
    }

    /// Runs `body` with a writer inside one write transaction. A write made for a request
    /// (`RequestAudit.current`) appends the request's audit entry in the same transaction.
    func write<T: Sendable>(_ body: @escaping @Sendable (RecordWriter) throws -> T) async throws -> T {
        let environment = environment
        let search = search
        let audit = RequestAudit.current
        try await identify()
        // The engines run the body on threads of their own, outside this task: the viewer is
        // bound again there, for the searches a write makes (conditions, bundle entries).
        let viewer = RecordViewer.current
        let filter = currentVisibility()
        switch engine {
        case .sqlite(let database):
            return try await database.pool.write { db in
                try RecordViewer.$current.withValue(viewer) {
                    var writer = Self.writer(db, environment: environment, search: search)
                    writer.visibility = filter.map(WriteVisibility.init)
                    let result = try body(writer)
                    try writer.visibility?.checkWritten(in: writer.transaction)
                    try Self.audit(result, of: audit, on: SQLiteConnection(db), at: RecordEnvironment.wallClock())
                    return result
                }
            }
        case .postgres(let database):
            return try await database.write { connection in
                try RecordViewer.$current.withValue(viewer) {
                    let transaction = SQLRecordTransaction(connection: connection, search: search, clock: environment.now)
                    let visibility = filter.map(WriteVisibility.init)
                    let result = try body(RecordWriter(transaction: transaction, environment: environment, visibility: visibility))
                    try transaction.finish()
                    try visibility?.checkWritten(in: transaction)
                    try Self.audit(result, of: audit, on: connection, at: RecordEnvironment.wallClock())
                    return result
                }
            }
        }
    }

    /// Appends `audit`'s entry for the write that gave `result`, in the write's transaction.
    private static func audit(_ result: some Any, of audit: RequestAudit?, on connection: any SQLConnection,
                              at now: FHIRInstant) throws {
        guard let audit, let written = result as? any AuditedWrite else { return }
        try AuditChain.append([audit.entry(status: written.auditStatus, at: now, written: written.auditEntities)], on: connection)
        audit.markRecordedWithWrite()
    }

    /// The writer over `db`'s open transaction.
    static func writer(_ db: Database, environment: RecordEnvironment, search: SearchContext) -> RecordWriter {
        RecordWriter(transaction: SQLiteTransaction(db: db, search: search, clock: environment.now), environment: environment)
    }

    /// The audit log is the server's own record of what was done (`AuditChain`); an AuditEvent
    /// from outside would read as one of its entries. `RecordWriter` refuses the type, as every
    /// version, from any route, bundle, patch or import, passes through it.
    static let auditEventRefusal = RecordError(.unprocessable, .forbidden,
                                               "AuditEvents are written by this server's audit log, not through the API",
                                               at: ["resourceType"])

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
