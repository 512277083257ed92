import FHIR
import Storage

/// The versions a PostgreSQL write transaction has appended but not yet sent, and the current
/// pointers (`resource` rows) they move. Reads inside the transaction look here first, so the
/// writer sees its own writes before they reach the server; `SQLRecordTransaction` sends them
/// (with the index rows) before it searches, at a savepoint and at commit.
///
/// A key's pending pointer stands for its latest pending version: a resource created and then
/// updated in one transaction is sent as one `resource` row.
final class PendingVersions {
    private struct Pointer {
        let rid: Int64
        /// Whether the row is new (inserted) rather than already on the server (updated).
        let isNew: Bool
        /// Where the latest pending version of the key is in `versions`.
        var latest: Int
    }

    private var versions: [StoredVersion] = []
    private var pointers: [ResourceKey: Pointer] = [:]
    /// Keys in the order their pointers were first made, so rows go in a stable order.
    private var order: [ResourceKey] = []
    /// Rids of resources on the server, learned from reads and sends, so an update need not
    /// ask for its row's rid.
    private var sentRIDs: [ResourceKey: Int64] = [:]
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

    /// Remembers the rid of a row read from the server.
    func learn(_ key: ResourceKey, rid: Int64) {
        sentRIDs[key] = rid
    }

    /// Adds `version` as `key`'s latest; `rid` is its row's, new or on the server.
    func add(_ version: StoredVersion, rid: Int64, isNew: Bool) {
        readAhead[version.key] = nil
        versions.append(version)
        bodyBytes += version.body?.count ?? 0
        if pointers[version.key] != nil {
            pointers[version.key]?.latest = versions.count - 1
        } else {
            pointers[version.key] = Pointer(rid: rid, isNew: isNew, latest: versions.count - 1)
            order.append(version.key)
        }
    }

    /// Takes what is pending as batches for `MultiRowStatement`: the versions, then new
    /// `resource` rows, then moved pointers (a pointer refers to its version's `seq`).
    func takeBatches() -> [RowBatch] {
        guard !versions.isEmpty else { return [] }
        var versionRows = RowBatch(Self.insertVersions, width: 8, copy: Self.copyVersions)
        versionRows.rows = versions.map { version in
            [.integer(version.sequence), .text(version.key.type), .text(version.key.id), version.version.sqlValue,
             .integer(version.lastUpdated.millisecondsSince1970), .text(version.method.rawValue), version.created.sqlValue,
             version.body.map(SQLValue.blob) ?? .null]
        }
        var inserted = RowBatch(Self.insertResources, width: 6, copy: Self.copyResources)
        var moved = RowBatch(Self.moveResources, width: 4)
        for key in order {
            guard let pointer = pointers[key] else { continue }
            let latest = versions[pointer.latest]
            let deleted = (latest.body == nil).sqlValue
            if pointer.isNew {
                inserted.rows.append([.integer(pointer.rid), .text(key.type), .text(key.id), latest.version.sqlValue,
                                      .integer(latest.sequence), deleted])
            } else {
                moved.rows.append([.integer(pointer.rid), latest.version.sqlValue, .integer(latest.sequence), deleted])
            }
            sentRIDs[key] = pointer.rid
        }
        versions = []
        pointers = [:]
        order = []
        bodyBytes = 0
        return [versionRows, inserted, moved]
    }

    /// Drops what is pending and what was learned (a savepoint rolled back: rows it sent are
    /// gone from the server too).
    func discard() {
        bodyBytes = 0
        versions = []
        pointers = [:]
        order = []
        sentRIDs = [:]
        readAhead = [:]
    }

    /// The rows carry their numbers (`RowNumbers`), which COPY writes into the identity
    /// columns as `OVERRIDING SYSTEM VALUE` lets the INSERTs.
    private static let copyVersions = RowBatch.CopyTarget(
        table: "resource_version", columns: ["seq", "type", "id", "version", "last_updated", "method", "created", "body"])
    private static let copyResources = RowBatch.CopyTarget(
        table: "resource", columns: ["rid", "type", "id", "version", "seq", "deleted"])

    private static let insertVersions = """
        INSERT INTO resource_version (seq, type, id, version, last_updated, method, created, body) \
        OVERRIDING SYSTEM VALUE VALUES $VALUES
        """

    private static let insertResources = """
        INSERT INTO resource (rid, type, id, version, seq, deleted) OVERRIDING SYSTEM VALUE VALUES $VALUES
        """

    private static let moveResources = """
        UPDATE resource AS r SET version = m.version, seq = m.seq, deleted = m.deleted \
        FROM (VALUES $VALUES) AS m (rid, version, seq, deleted) WHERE r.rid = m.rid
        """
}
