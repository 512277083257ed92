import FHIR
import Storage

/// `StoreTransaction` on any engine's `SQLConnection`, inside a write transaction the engine
/// opened: PostgreSQL's. (SQLite has its own, `SQLiteTransaction`, on GRDB's statements and
/// SQLite's C API, which a bulk load needs.)
///
/// Each statement is a round trip to the server, so writes wait here: versions and their
/// current pointers in `versions` (numbered ahead from the identity sequences, `numbers`),
/// index rows in `index`. Reads look at what waits first. Everything is sent, in as few
/// statements as fit (`MultiRowStatement`), before a search (`matches`), at a savepoint and
/// when the transaction commits (`finish`): a transaction bundle of 10,000 creates is a few
/// dozen statements rather than tens of thousands.
struct SQLRecordTransaction: StoreTransaction {
    let connection: any SQLConnection
    let search: SearchContext
    /// For `ap` date conditions in conditional interactions.
    let clock: @Sendable () -> FHIRInstant
    let versions = PendingVersions()
    let index: PendingIndexRows
    let numbers = RowNumbers()
    /// Whether this transaction is a batch of a bulk load (`CareRecord.beginImport`), whose
    /// updates check that the value tables' keys are up (`indexesUp`). Other writers' updates
    /// skip that round trip: during someone else's load into an empty store, the rare one is
    /// right but reads whole value tables.
    let loading: Bool
    private let indexesChecked = Flag()

    private final class Flag {
        var done = false
    }

    init(connection: any SQLConnection, search: SearchContext, clock: @escaping @Sendable () -> FHIRInstant,
         loading: Bool = false) {
        self.connection = connection
        self.search = search
        self.clock = clock
        self.loading = loading
        self.index = PendingIndexRows(ids: search.ids)
    }

    /// Sends everything that waits: call before the transaction commits.
    func finish() throws {
        try index.sendClears(on: connection)
        try MultiRowStatement.send(versions.takeBatches() + index.takeBatches(), on: connection)
    }

    func current(_ key: ResourceKey) throws -> CurrentVersion? {
        if let pending = versions.current(key) { return pending }
        if let known = versions.readAhead(key) { return known }
        guard let row = try connection.fetchOne(RecordReads.currentWithPersonSQL, [.text(key.type), .text(key.id)]) else { return nil }
        if let rid = row[3].int64, let person = row[4].int64 { versions.learn(key, rid: rid, person: person) }
        return CurrentVersion(version: Int(row[0].int64 ?? 0), lastUpdated: FHIRInstant(millisecondsSince1970: row[1].int64 ?? 0),
                              deleted: row[2].int64 != 0)
    }

    /// Reads the current versions of `keys` in one statement, so that a batch of writes to
    /// keys it names (an import keeps the ids of its resources) asks the server once, not once
    /// a resource.
    func readAhead(_ keys: [ResourceKey]) throws {
        guard !keys.isEmpty else { return }
        let rows = try connection.fetchAll("""
            SELECT r.type, r.id, r.version, v.last_updated, r.deleted, r.rid, r.person FROM resource r
            JOIN resource_version v ON v.seq = r.seq
            WHERE (r.type, r.id) IN (SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS text[])))
            """, [.text(PostgresArray.literal(keys.map(\.type))), .text(PostgresArray.literal(keys.map(\.id)))])
        var found: [ResourceKey: CurrentVersion] = [:]
        for row in rows {
            guard let type = row[0].string, let id = row[1].string, let rid = row[5].int64, let person = row[6].int64 else { continue }
            let key = ResourceKey(type, id)
            found[key] = CurrentVersion(version: Int(row[2].int64 ?? 0),
                                        lastUpdated: FHIRInstant(millisecondsSince1970: row[3].int64 ?? 0), deleted: row[4].int64 != 0)
            versions.learn(key, rid: rid, person: person)
        }
        for key in keys where versions.current(key) == nil { versions.learn(key, current: found[key]) }
    }

    func version(_ key: ResourceKey, _ version: Int?) throws -> StoredVersion? {
        if let pending = versions.version(key, version) { return pending }
        return try RecordReads.version(connection, key, version)
    }

    func append(_ key: ResourceKey, version: Int, lastUpdated: FHIRInstant, method: WriteMethod, created: Bool,
                resource: JSONObject?, body: [UInt8]?, indexed: ResourceIndex?) throws -> Int64 {
        let sequence = try numbers.sequence(on: connection)
        // Version 1 makes a row; a later version keeps the row's rid (index rows and paging
        // cursors hold it), and knows the person the row is under.
        let rid: Int64
        var previousPerson: Int64?
        if version == 1 {
            rid = try numbers.rid(on: connection)
        } else if let known = versions.rid(key), let person = versions.person(key) {
            if loading { try indexesUp() }
            rid = known
            previousPerson = person
        } else if let found = try connection.fetchOne("SELECT rid, person FROM resource WHERE type = ? AND id = ?",
                                                      [.text(key.type), .text(key.id)]),
                  let foundRID = found[0].int64, let person = found[1].int64 {
            if loading { try indexesUp() }
            rid = foundRID
            previousPerson = person
            versions.learn(key, rid: foundRID, person: person)
        } else {
            throw StorageError(.corrupt, detail: "version \(version) of \(key.type)/\(key.id) has no earlier version's row")
        }
        let index = resource.flatMap { resource in indexed ?? search.indexer?.index(resource, type: key.type) }
        // A deletion stays in the record it deletes from.
        let person = index.map { PersonKey.of(type: key.type, id: key.id, entries: $0.entries, compartment: search.patientCompartment) }
            ?? previousPerson ?? PersonKey.of(type: key.type, id: key.id, entries: [], compartment: [:])
        versions.add(StoredVersion(key: key, version: version, lastUpdated: lastUpdated, method: method, sequence: sequence,
                                   created: created, body: body), rid: rid, isNew: version == 1, person: person)
        if search.indexer != nil {
            if let previousPerson { self.index.clear(rid, person: previousPerson) }
            if let index { self.index.add(rid, person: person, type: key.type, index: index, sequence: sequence) }
        }
        if versions.bodyBytes > Self.maximumPendingBytes { try finish() }
        return sequence
    }

    /// What may wait before it is sent anyway: a Bundle file of any size is one transaction,
    /// and a large one's rows are copied while the next are made (`MultiRowStatement`), so
    /// sending often keeps the server busy beside this thread.
    static let maximumPendingBytes = 1 << 20

    func visible(_ keys: [ResourceKey], _ filter: VisibilityFilter) throws -> Set<ResourceKey> {
        try finish()
        return try CareRecord.visible(keys, filter, on: connection)
    }

    func matches(_ query: ConditionalQuery, limit: Int) throws -> [String] {
        try finish()
        try indexesUp()
        let parsed = try SearchQueryParser(context: search, clock: clock).conditional(query)
        return try SearchExecutor(connection: connection, context: search).ids(parsed, limit: limit)
    }

    /// Builds the value indexes if a bulk load into an empty store took them down, before the
    /// first search or update in a transaction: as on SQLite (`SQLiteTransaction.matches`), a
    /// search would otherwise read whole tables once per resource that asks, and an update's
    /// delete of the resource's old index rows, by rid, would read whole value tables without
    /// their primary keys (`ValueIndexes.primaryKeys`). Asked once a transaction.
    private func indexesUp() throws {
        guard !indexesChecked.done else { return }
        indexesChecked.done = true
        if try ValueIndexes.areDown(connection) {
            try finish()
            try ValueIndexes.build(connection)
        }
    }

    func isolated<T>(_ body: () throws -> T) throws -> T {
        // What waits from before the savepoint is sent first, so that a rollback to it drops
        // exactly what waits then.
        try finish()
        try connection.execute("SAVEPOINT entry")
        do {
            let result = try body()
            try connection.execute("RELEASE SAVEPOINT entry")
            return result
        } catch {
            // The rollback undoes what the savepoint sent; what was made inside it and not yet
            // sent is dropped here.
            versions.discard()
            index.discard()
            // An index build inside it is undone too, and asked for again.
            indexesChecked.done = false
            try connection.execute("ROLLBACK TO SAVEPOINT entry")
            try connection.execute("RELEASE SAVEPOINT entry")
            throw error
        }
    }
}
