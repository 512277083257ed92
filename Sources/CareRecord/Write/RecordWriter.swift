import FHIR

/// The write interactions, written once for every engine. Resources arrive validated; the
/// writer assigns ids and versions, enforces `If-Match`, and appends versions. It runs inside
/// one engine transaction, so whatever it throws undoes everything it did.
struct RecordWriter {
    let transaction: any StoreTransaction
    let environment: RecordEnvironment
    /// The viewer's sight, when the write is made for one (`WriteVisibility`).
    var visibility: WriteVisibility? = nil

    /// Creates `resource` under `id` (or a new server id), as version 1. `indexed`, when
    /// given, is what the search index gets from the resource, computed ahead, outside the
    /// write lock (a bulk import); it is used only if no reference is rewritten here. A caller that
    /// has found no conditional reference in `resource` says so with `conditionalReferences`
    /// false, and the writer does not look again. `idIsNew` says the caller minted `id` with
    /// `environment.newID()` (a bundle's POST entry), so no resource can hold it and the writer
    /// does not ask the store (on PostgreSQL a round trip per entry).
    func create(_ resource: JSONObject, type: String, id: String? = nil, idIsNew: Bool = false, indexed: ResourceIndex? = nil,
                conditionalReferences: Bool = true) throws -> WriteResult {
        let (resource, indexed) = conditionalReferences ? try resolvingReferences(resource, indexed: indexed) : (resource, indexed)
        let key = ResourceKey(type, id ?? environment.newID())
        if id != nil, !idIsNew, try transaction.current(key) != nil {
            throw RecordError(.conflict, .duplicate, "a resource with this id already exists", at: ["\(type).id"])
        }
        let stored = try append(resource, key: key, version: 1, after: nil, method: .create, created: true,
                                indexed: indexed)
        return WriteResult(.created, stored)
    }

    /// Creates unless `query` already matches: one match is returned as it is, two or more
    /// refuse the create (FHIR conditional create).
    func createIfNoneExist(_ resource: JSONObject, type: String, query: ConditionalQuery) throws -> WriteResult {
        let ids = try transaction.matches(query)
        switch ids.count {
        case 0: return try create(resource, type: type)
        case 1: return WriteResult(.existing, try transaction.version(ResourceKey(type, ids[0]), nil))
        default: throw multipleMatches(query)
        }
    }

    /// Updates `key` to `resource`, creating it when it does not exist (update as create).
    /// `ifMatch` must name the current version when given. `indexed` and
    /// `conditionalReferences` as for `create`.
    func update(_ resource: JSONObject, key: ResourceKey, ifMatch: Int?, method: WriteMethod = .update,
                indexed: ResourceIndex? = nil, conditionalReferences: Bool = true) throws -> WriteResult {
        let (resource, indexed) = conditionalReferences ? try resolvingReferences(resource, indexed: indexed) : (resource, indexed)
        let current = try transaction.current(key)
        if let current, !current.deleted { try visibility?.checkReplacing(key, in: transaction) }
        if let ifMatch {
            guard let current, !current.deleted, current.version == ifMatch else {
                throw RecordError(.versionConflict, .conflict,
                                  "If-Match names version \(ifMatch) but the current version is "
                                      + (current.map { $0.deleted ? "deleted" : String($0.version) } ?? "absent"))
            }
        }
        guard let current else {
            return WriteResult(.created, try append(resource, key: key, version: 1, after: nil, method: method, created: true,
                                                    indexed: indexed))
        }
        if !current.deleted, let existing = try transaction.version(key, nil),
           existing.body == JSONSerializer.bytes(.object(ResourceBody.stamped(
               resource, id: key.id, version: existing.version, lastUpdated: existing.lastUpdated))) {
            return WriteResult(.unchanged, existing)
        }
        let stored = try append(resource, key: key, version: current.version + 1, after: current, method: method,
                                created: current.deleted, indexed: indexed)
        return WriteResult(current.deleted ? .created : .updated, stored)
    }

    /// Conditional update: no match creates (under the resource's own id if it has one), one
    /// match updates it, more refuse.
    func conditionalUpdate(_ resource: JSONObject, query: ConditionalQuery, ifMatch: Int?) throws -> WriteResult {
        let ids = try transaction.matches(query)
        let ownID = resource["id"]?.stringValue
        switch ids.count {
        case 0:
            if let ownID { return try update(resource, key: ResourceKey(query.type, ownID), ifMatch: ifMatch) }
            return try create(resource, type: query.type)
        case 1:
            if let ownID, ownID != ids[0] {
                throw RecordError(.invalid, .invalid, "the resource id differs from the id of the resource the condition matched",
                                  at: ["\(query.type).id"])
            }
            return try update(resource, key: ResourceKey(query.type, ids[0]), ifMatch: ifMatch)
        default:
            throw multipleMatches(query)
        }
    }

    /// Logically deletes `key`: a deletion version is appended and reads answer 410 Gone.
    func delete(_ key: ResourceKey, ifMatch: Int?) throws -> WriteResult {
        guard let current = try transaction.current(key) else {
            if ifMatch != nil { throw RecordError(.versionConflict, .conflict, "If-Match names a resource that does not exist") }
            return WriteResult(.nothingToDelete, nil)
        }
        if !current.deleted { try visibility?.checkReplacing(key, in: transaction) }
        if let ifMatch, current.deleted || current.version != ifMatch {
            throw RecordError(.versionConflict, .conflict, "If-Match does not name the current version")
        }
        if current.deleted { return WriteResult(.nothingToDelete, try transaction.version(key, nil)) }
        let stored = try append(nil, key: key, version: current.version + 1, after: current, method: .delete, created: false)
        return WriteResult(.deleted, stored)
    }

    /// Applies `patch` to the current version, validates the result and stores it as a new
    /// version. Deleted resources cannot be patched: there is nothing to patch.
    func patch(_ key: ResourceKey, with patch: JSONPatch, ifMatch: Int?, validator: ResourceValidator) throws -> WriteResult {
        guard let current = try transaction.version(key, nil) else {
            throw RecordError(.notFound, .notFound, "no \(key.type) with this id")
        }
        guard let body = current.body else { throw RecordError(.gone, .deleted, "this \(key.type) has been deleted") }
        // Before anything of it answers: If-Match, a `test` operation or an unchanged body
        // would each tell what it holds.
        try visibility?.checkReplacing(key, in: transaction)
        if let ifMatch, ifMatch != current.version {
            throw RecordError(.versionConflict, .conflict, "If-Match does not name the current version")
        }
        let patched: JSON
        do {
            patched = try patch.apply(to: try JSONParser().parse(body))
        } catch let error as JSONPatchError {
            throw RecordError(.unprocessable, [error.issue])
        }
        guard let object = patched.objectValue, object["resourceType"]?.stringValue == key.type,
              object["id"]?.stringValue == key.id else {
            throw RecordError(.unprocessable, .processing, "a patch may not change the resource type or id")
        }
        let issues = validator.validate(patched)
        if issues.contains(where: { $0.severity == .error || $0.severity == .fatal }) {
            throw RecordError(.unprocessable, issues)
        }
        return try update(object, key: key, ifMatch: current.version, method: .patch)
    }

    /// Conditional delete: no match does nothing, one match is deleted, more refuse.
    func conditionalDelete(_ query: ConditionalQuery) throws -> WriteResult {
        let ids = try transaction.matches(query)
        switch ids.count {
        case 0: return WriteResult(.nothingToDelete, nil)
        case 1: return try delete(ResourceKey(query.type, ids[0]), ifMatch: nil)
        default: throw multipleMatches(query)
        }
    }

    private func append(_ resource: JSONObject?, key: ResourceKey, version: Int, after current: CurrentVersion?,
                        method: WriteMethod, created: Bool, indexed: ResourceIndex? = nil) throws -> StoredVersion {
        // Every version passes here: none may pose as the server's audit log.
        if key.type == "AuditEvent" { throw CareRecord.auditEventRefusal }
        if let visibility {
            if let current, !current.deleted { try visibility.checkReplacing(key, in: transaction) }
            if resource != nil { visibility.wrote(key) }
        }
        // lastUpdated never goes backwards for one resource, whatever the wall clock does.
        var now = environment.now()
        if let current, current.lastUpdated > now { now = current.lastUpdated }
        var body: [UInt8]?
        var stamped: JSONObject?
        if let resource {
            stamped = ResourceBody.stamped(resource, id: key.id, version: version, lastUpdated: now)
            body = stamped.map { JSONSerializer.bytes(.object($0)) }
        }
        let sequence = try transaction.append(key, version: version, lastUpdated: now, method: method, created: created,
                                              resource: stamped, body: body, indexed: indexed)
        return StoredVersion(key: key, version: version, lastUpdated: now, method: method, sequence: sequence,
                             created: created, body: body)
    }

    private func multipleMatches(_ query: ConditionalQuery) -> RecordError {
        RecordError(.multipleMatches, .multipleMatches, "the condition matched more than one \(query.type)")
    }
}
