import Foundation
import FHIR
import GRDB
import Storage

/// Resources from a bulk source, validated and indexed and ready to store: neither needs a
/// lock, so a loader can prepare the next batch while the previous one is being written, and
/// the writer, which every write waits for, does only the writing.
public struct ImportBatch: Sendable {
    /// Each resource, or why it was refused, in the order given.
    let prepared: [Result<PreparedResource, RecordError>]

    public var count: Int { prepared.count }
}

/// A validated resource, what the search index gets from it (nil when the record keeps no
/// index), and whether it holds a conditional reference for the writer to resolve.
struct PreparedResource: Sendable {
    let object: JSONObject
    let indexed: ResourceIndex?
    let conditionalReferences: Bool
}

extension CareRecord {
    /// Stores a batch of resources from a bulk file in one write transaction. A resource
    /// with an id keeps it (bulk exports refer to each other by `Type/id`); one without gets a
    /// new id. Each resource succeeds or fails on its own, in its own savepoint.
    public func importResources(_ resources: [JSON]) async throws -> [Result<WriteResult, RecordError>] {
        try await importResources(prepareImport(resources))
    }

    /// Whether the store holds no resource at all (not even a deleted one).
    public func isEmpty() async throws -> Bool {
        try await read(Self.holdsNoResource)
    }

    private static func holdsNoResource(_ connection: any SQLConnection) throws -> Bool {
        try connection.fetchOne("SELECT NOT EXISTS (SELECT 1 FROM resource)")?[0].int64 == 1
    }

    /// Runs `load`, a bulk load of this record. Into a store that holds no resource yet, it
    /// runs with the search index's value indexes down, and they are built once it ends,
    /// whether it finished or failed (see `ValueIndexes`); `building` is told just before. Into
    /// a store that holds resources, the indexes stay up, so that searches of what is there
    /// stay fast. On PostgreSQL the record's tables are then vacuumed and analysed;
    /// `analysing` is told just before. (The two calls let a command say, and time, where a
    /// long load is: on PostgreSQL the builds and the vacuum are a good part of it.)
    public func bulkLoad<T>(building: () -> Void = {}, analysing: () -> Void = {},
                            _ load: () async throws -> T) async throws -> T {
        let deferred = try await writeTables { connection -> Bool in
            guard try Self.holdsNoResource(connection) else { return false }
            try ValueIndexes.drop(connection)
            return true
        }
        let result: T
        do {
            result = try await load()
        } catch {
            if deferred {
                building()
                // If this fails too, the mark stays and the next open builds them.
                try? await buildValueIndexes()
            }
            throw error
        }
        if deferred {
            building()
            try await buildValueIndexes()
        }
        if case .postgres(let database) = engine {
            analysing()
            try await Self.refreshStatistics(database)
        }
        return result
    }

    /// Builds the value indexes a bulk load took down. PostgreSQL builds each in one server
    /// process, so there they are built side by side, one per core, before the mark is cleared.
    private func buildValueIndexes() async throws {
        if case .postgres(let database) = engine {
            let missing = try await writeTables { try ValueIndexes.missing($0) }
            // IF NOT EXISTS: another process opening the record may have built one meanwhile.
            try await database.runEach(missing.map { $0.sql.replacingOccurrences(of: "CREATE INDEX ", with: "CREATE INDEX IF NOT EXISTS ") },
                                       width: Self.maintenanceWidth)
        }
        _ = try await writeTables { try ValueIndexes.build($0) }
    }

    /// How many maintenance statements run at once after a load on PostgreSQL.
    private static var maintenanceWidth: Int { max(2, ProcessInfo.processInfo.activeProcessorCount) }

    /// Runs `body` in one write transaction on the record's tables, on either engine.
    func writeTables<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        switch engine {
        case .sqlite(let database): try await database.write(body)
        case .postgres(let database): try await database.write(body)
        }
    }

    /// VACUUM (ANALYZE) of every table of the record's schema, as PostgreSQL advises after a
    /// bulk load. Without the statistics, searches right after a load were planned blind
    /// until autovacuum came by (a minute or more; `$everything` of a patient with 2,000
    /// resources took 280 ms instead of 10), and without the visibility map every index-only
    /// scan also read the table; autovacuum's own pass, when it came, slowed searches meanwhile.
    private static func refreshStatistics(_ database: PostgresDatabase) async throws {
        let tables = try await database.fetchAll("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()", [])
        try await database.runEach(tables.compactMap { $0[0].string }.map { table in
            "VACUUM (ANALYZE) \"\(table.replacingOccurrences(of: "\"", with: "\"\""))\""
        }, width: maintenanceWidth)
    }

    /// Validates and indexes resources for `importResources(_: ImportBatch)`, outside any
    /// transaction.
    public func prepareImport(_ resources: [JSON]) -> ImportBatch {
        let indexer = search.indexer
        var prepared: [Result<PreparedResource, RecordError>] = []
        prepared.reserveCapacity(resources.count)
        for resource in resources {
            prepared.append(Result { () throws(RecordError) -> PreparedResource in
                let object = try validated(resource)
                if let id = object["id"], !(id.stringValue.map(ResourceID.isValid) ?? false) {
                    throw RecordError(.invalid, .value, "the resource id is not a valid FHIR id", at: ["id"])
                }
                let type = object["resourceType"]?.stringValue ?? ""
                return PreparedResource(object: object, indexed: indexer?.index(object, type: type),
                                        conditionalReferences: ReferenceRewriter.holdsConditionalReference(resource))
            })
        }
        return ImportBatch(prepared: prepared)
    }

    /// Stores a validated batch in one write transaction; see `importResources(_: [JSON])`.
    public func importResources(_ batch: ImportBatch) async throws -> [Result<WriteResult, RecordError>] {
        try await beginImport(batch).results()
    }

    /// Starts storing `batch` at once, on the writer's own queue, and returns the write to
    /// await. A loader that prepares the next batch meanwhile must start the write this way:
    /// with NIO's event loops as Swift's executor, a `Task` started from the loader's loop
    /// waits for that loop to suspend, so the write began only when the loader was done
    /// preparing, and the two never overlapped (a 20,000-patient import ran on one core's
    /// worth of time).
    public func beginImport(_ batch: ImportBatch) -> ImportWrite {
        let write = ImportWrite()
        let environment = environment
        let search = search
        let ready = batch.prepared
        let started = ContinuousClock.now
        switch engine {
        case .sqlite(let database):
            database.pool.asyncWriteWithoutTransaction { db in
                let result = Result { try Self.store(ready, db: db, environment: environment, search: search) }
                write.finish(result, writerTime: ContinuousClock.now - started)
            }
        case .postgres(let database):
            database.startWrite({ connection in
                let transaction = SQLRecordTransaction(connection: connection, search: search, clock: environment.now, loading: true)
                let writer = RecordWriter(transaction: transaction, environment: environment)
                // Resources keep their ids: what the server holds under them, asked at once.
                try transaction.readAhead(ready.compactMap { item in
                    guard case .success(let resource) = item, let id = resource.object["id"]?.stringValue else { return nil }
                    return ResourceKey(resource.object["resourceType"]?.stringValue ?? "", id)
                })
                try transaction.numbers.reserve(ready.count, on: connection)
                let results: [Result<WriteResult, RecordError>]
                do {
                    // A savepoint costs PostgreSQL little, so the optimistic pass runs in one
                    // and the careful pass follows it in the same transaction.
                    results = try transaction.isolated { try Self.storeAll(ready, writer: writer, eachAlone: false) }
                } catch is OptimisticImportFailed {
                    results = try Self.storeAll(ready, writer: writer, eachAlone: true)
                }
                try transaction.finish()
                return results
            }, completion: { result in
                write.finish(result, writerTime: ContinuousClock.now - started)
            })
        }
        return write
    }

    /// First optimistically, in one transaction without a savepoint per resource: a savepoint
    /// copies every page a resource first touches (with the search index, some twenty), and
    /// almost every batch writes cleanly. If any resource fails, that transaction is rolled
    /// back whole and the batch is written again with a savepoint per resource, so each fails
    /// on its own.
    private static func store(_ ready: [Result<PreparedResource, RecordError>], db: Database,
                              environment: RecordEnvironment, search: SearchContext) throws -> [Result<WriteResult, RecordError>] {
        var results: [Result<WriteResult, RecordError>] = []
        do {
            try db.inTransaction {
                results = try storeAll(ready, writer: Self.writer(db, environment: environment, search: search), eachAlone: false)
                return .commit
            }
            return results
        } catch is OptimisticImportFailed {}
        try db.inTransaction {
            results = try storeAll(ready, writer: Self.writer(db, environment: environment, search: search), eachAlone: true)
            return .commit
        }
        return results
    }

    /// Stores every resource of a batch. Optimistically (`eachAlone` false) with no savepoint
    /// of its own: the first that fails throws `OptimisticImportFailed`, for the caller to roll
    /// back. Carefully, each in a savepoint of its own, so that each fails alone. Storage
    /// failures (not `RecordError`) are not the record's fault: they end the import either way.
    private static func storeAll(_ ready: [Result<PreparedResource, RecordError>], writer: RecordWriter,
                                 eachAlone: Bool) throws -> [Result<WriteResult, RecordError>] {
        var results: [Result<WriteResult, RecordError>] = []
        results.reserveCapacity(ready.count)
        for item in ready {
            switch item {
            case .failure(let error):
                results.append(.failure(error))
            case .success(let resource):
                do {
                    let stored = eachAlone
                        ? try writer.transaction.isolated { try store(resource, writer: writer) }
                        : try store(resource, writer: writer)
                    results.append(.success(stored))
                } catch let error as RecordError {
                    guard eachAlone else { throw OptimisticImportFailed(error: error) }
                    results.append(.failure(error))
                }
            }
        }
        return results
    }

    /// A resource with an id is stored under it (update as create); one without gets a new id.
    private static func store(_ resource: PreparedResource, writer: RecordWriter) throws -> WriteResult {
        let object = resource.object
        let type = object["resourceType"]?.stringValue ?? ""
        if let id = object["id"]?.stringValue {
            return try writer.update(object, key: ResourceKey(type, id), ifMatch: nil, indexed: resource.indexed,
                                     conditionalReferences: resource.conditionalReferences)
        }
        return try writer.create(object, type: type, indexed: resource.indexed,
                                 conditionalReferences: resource.conditionalReferences)
    }
}

/// Thrown out of the optimistic write so that its transaction rolls back.
private struct OptimisticImportFailed: Error {
    let error: RecordError
}
