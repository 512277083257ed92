import FHIR
import Storage

/// The versions a PostgreSQL write transaction has appended but not yet sent, and the current
/// pointers (`resource` rows) they move. Reads inside the transaction look here first, so the
/// writer sees its own writes before they reach the server; `SQLRecordTransaction` sends them
/// (with the index rows) before it searches, at a savepoint and at commit.
///
/// A key's pending pointer stands for its latest pending version: a resource created and then
/// updated in one transaction is sent as one `resource` row.
///
/// Every row carries its person (`PersonKey`), the tables' distribution key. A version that
/// moves a resource into another person's record (its subject corrected) moves its row: the
/// row under the old key is deleted and one under the new key inserted, with the same rid,
/// as Citus cannot change a row's distribution key in place.
final class PendingVersions {
    private struct Pointer {
        let rid: Int64
        /// The person of the row on the server; nil when the row is new (inserted).
        let serverPerson: Int64?
        /// Where the latest pending version of the key is in `versions`.
        var latest: Int
    }

    private var versions: [StoredVersion] = []
    /// The person of each of `versions`.
    private var persons: [Int64] = []
    private var pointers: [ResourceKey: Pointer] = [:]
    /// Keys in the order their pointers were first made, so rows go in a stable order.
    private var order: [ResourceKey] = []
    /// Rids of resources on the server, learned from reads and sends, so an update need not
    /// ask for its row's rid.
    private var sentRIDs: [ResourceKey: Int64] = [:]
    /// The persons of those rows.
    private var sentPersons: [ResourceKey: Int64] = [:]
    /// Current versions on the server read ahead for many keys at once (nil: none), dropped
    /// for a key when it gets a pending version.
    private var readAhead: [ResourceKey: CurrentVersion?] = [:]

    var isEmpty: Bool { versions.isEmpty }
    /// The bytes of the bodies pending: the transaction sends what waits before it holds
    /// too much of a large bundle in memory.
    private(set) var bodyBytes = 0

    /// The current version of `key` if it has a pending one.
    func current(_ key: ResourceKey) -> CurrentVersion? {
        guard let pointer = pointers[key] else { return nil }
        let latest = versions[pointer.latest]
        return CurrentVersion(version: latest.version, lastUpdated: latest.lastUpdated, deleted: latest.body == nil)
    }

    /// What was read ahead for `key`: nil when it was not; `.some(nil)` when the server holds
    /// no such resource.
    func readAhead(_ key: ResourceKey) -> CurrentVersion?? {
        readAhead[key]
    }

    /// Remembers the server's current version of `key` (nil: none), read ahead.
    func learn(_ key: ResourceKey, current: CurrentVersion?) {
        readAhead[key] = .some(current)
    }

    /// The pending version of `key` numbered `number` (the latest when nil), if there is one.
    /// When `key` has pending versions, any it lacks are on the server.
    func version(_ key: ResourceKey, _ number: Int?) -> StoredVersion? {
        guard let pointer = pointers[key] else { return nil }
        guard let number else { return versions[pointer.latest] }
        return versions.last { $0.key == key && $0.version == number }
    }

    /// The rid of `key`'s row, if known without asking the server.
    func rid(_ key: ResourceKey) -> Int64? {
        pointers[key]?.rid ?? sentRIDs[key]
    }

    /// The person of `key`'s row as it stands (its latest pending version's, or the server's),
    /// if known without asking the server.
    func person(_ key: ResourceKey) -> Int64? {
        pointers[key].map { persons[$0.latest] } ?? sentPersons[key]
    }

    /// Remembers the rid and person of a row read from the server.
    func learn(_ key: ResourceKey, rid: Int64, person: Int64) {
        sentRIDs[key] = rid
        sentPersons[key] = person
    }

    /// Adds `version` as `key`'s latest, in `person`'s record; `rid` is its row's, new or on
    /// the server (`isNew` false: the server's row is in `serverPerson`'s record).
    func add(_ version: StoredVersion, rid: Int64, isNew: Bool, person: Int64) {
        readAhead[version.key] = nil
        versions.append(version)
        persons.append(person)
        bodyBytes += version.body?.count ?? 0
        if pointers[version.key] != nil {
            pointers[version.key]?.latest = versions.count - 1
        } else {
            let serverPerson = isNew ? nil : (sentPersons[version.key] ?? person)
            pointers[version.key] = Pointer(rid: rid, serverPerson: serverPerson, latest: versions.count - 1)
            order.append(version.key)
        }
    }

    /// Takes what is pending as batches for `MultiRowStatement`: the versions, then the rows
    /// of resources moving to another person's record deleted, then new `resource` rows
    /// (with the moved ones), then moved pointers (a pointer refers to its version's `seq`).
    func takeBatches() -> [RowBatch] {
        guard !versions.isEmpty else { return [] }
        var versionRows = RowBatch(Self.insertVersions, width: 9, copy: Self.copyVersions)
        versionRows.rows = zip(versions, persons).map { version, person in
            [.integer(version.sequence), .text(version.key.type), .text(version.key.id), version.version.sqlValue,
             .integer(version.lastUpdated.millisecondsSince1970), .text(version.method.rawValue), version.created.sqlValue,
             version.body.map(SQLValue.blob) ?? .null, .integer(person)]
        }
        var removed = RowBatch(Self.removeResources, width: 2)
        var inserted = RowBatch(Self.insertResources, width: 7, copy: Self.copyResources)
        var moved = RowBatch(Self.moveResources, width: 5)
        for key in order {
            guard let pointer = pointers[key] else { continue }
            let latest = versions[pointer.latest]
            let person = persons[pointer.latest]
            let deleted = (latest.body == nil).sqlValue
            if pointer.serverPerson == person {
                moved.rows.append([.integer(pointer.rid), .integer(person), latest.version.sqlValue, .integer(latest.sequence), deleted])
            } else {
                if let old = pointer.serverPerson { removed.rows.append([.integer(pointer.rid), .integer(old)]) }
                inserted.rows.append([.integer(pointer.rid), .text(key.type), .text(key.id), latest.version.sqlValue,
                                      .integer(latest.sequence), deleted, .integer(person)])
            }
            sentRIDs[key] = pointer.rid
            sentPersons[key] = person
        }
        versions = []
        persons = []
        pointers = [:]
        order = []
        bodyBytes = 0
        return [versionRows, removed, inserted, moved]
    }

    /// Drops what is pending and what was learned (a savepoint rolled back: rows it sent are
    /// gone from the server too).
    func discard() {
        bodyBytes = 0
        versions = []
        persons = []
        pointers = [:]
        order = []
        sentRIDs = [:]
        sentPersons = [:]
        readAhead = [:]
    }

    /// The rows carry their numbers (`RowNumbers`), which COPY writes into the identity
    /// columns as `OVERRIDING SYSTEM VALUE` lets the INSERTs.
    private static let copyVersions = RowBatch.CopyTarget(
        table: "resource_version", columns: ["seq", "type", "id", "version", "last_updated", "method", "created", "body", "person"])
    private static let copyResources = RowBatch.CopyTarget(
        table: "resource", columns: ["rid", "type", "id", "version", "seq", "deleted", "person"])

    private static let insertVersions = """
        INSERT INTO resource_version (seq, type, id, version, last_updated, method, created, body, person) \
        OVERRIDING SYSTEM VALUE VALUES $VALUES
        """

    private static let removeResources = """
        DELETE FROM resource AS r USING (VALUES $VALUES) AS m (rid, person) WHERE r.rid = m.rid AND r.person = m.person
        """

    private static let insertResources = """
        INSERT INTO resource (rid, type, id, version, seq, deleted, person) OVERRIDING SYSTEM VALUE VALUES $VALUES
        """

    private static let moveResources = """
        UPDATE resource AS r SET version = m.version, seq = m.seq, deleted = m.deleted \
        FROM (VALUES $VALUES) AS m (rid, person, version, seq, deleted) WHERE r.rid = m.rid AND r.person = m.person
        """
}
