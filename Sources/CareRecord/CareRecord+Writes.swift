import FHIR

extension CareRecord {
    /// Creates a resource with a server-assigned id. With `ifNoneExist` (a query such as
    /// `identifier=system|value`) it first looks for a match and returns that instead.
    public func create(_ json: JSON, type: String, ifNoneExist: String? = nil) async throws -> WriteResult {
        let resource = try validated(json, type: type)
        let query = try ifNoneExist.map { text throws(RecordError) in try ConditionalQuery(type: type, query: text) }
        return try await write { writer in
            if let query { return try writer.createIfNoneExist(resource, type: type, query: query) }
            return try writer.create(resource, type: type)
        }
    }

    /// Updates (or creates) `key`. The body's id must equal the URL's.
    public func update(_ json: JSON, key: ResourceKey, ifMatch: Int? = nil) async throws -> WriteResult {
        let resource = try validated(json, type: key.type)
        guard let id = resource["id"]?.stringValue else {
            throw RecordError(.invalid, .required, "an update needs the resource id in the body", at: ["\(key.type).id"])
        }
        guard id == key.id else {
            throw RecordError(.invalid, .invalid, "the id in the body does not match the id in the URL", at: ["\(key.type).id"])
        }
        return try await write { writer in try writer.update(resource, key: key, ifMatch: ifMatch) }
    }

    /// Conditional update by `query`, e.g. `identifier=https://fhir.nhs.uk/Id/nhs-number|9000000009`.
    public func update(_ json: JSON, type: String, matching query: String, ifMatch: Int? = nil) async throws -> WriteResult {
        try await update(json, matching: try ConditionalQuery(type: type, query: query), ifMatch: ifMatch)
    }

    /// Conditional update by a parsed condition.
    public func update(_ json: JSON, matching condition: ConditionalQuery, ifMatch: Int? = nil) async throws -> WriteResult {
        let resource = try validated(json, type: condition.type)
        return try await write { writer in try writer.conditionalUpdate(resource, query: condition, ifMatch: ifMatch) }
    }

    /// Applies a JSON Patch to the current version, validates the result and stores it.
    public func patch(_ key: ResourceKey, with patch: JSONPatch, ifMatch: Int? = nil) async throws -> WriteResult {
        let validator = validator
        return try await write { writer in try writer.patch(key, with: patch, ifMatch: ifMatch, validator: validator) }
    }

    /// Logically deletes `key`; reads then answer 410 and history keeps every version.
    public func delete(_ key: ResourceKey, ifMatch: Int? = nil) async throws -> WriteResult {
        try await write { writer in try writer.delete(key, ifMatch: ifMatch) }
    }

    /// Conditional delete of the one resource of `type` matching `query`.
    public func delete(type: String, matching query: String) async throws -> WriteResult {
        try await delete(matching: try ConditionalQuery(type: type, query: query))
    }

    /// Conditional delete by a parsed condition.
    public func delete(matching condition: ConditionalQuery) async throws -> WriteResult {
        return try await write { writer in try writer.conditionalDelete(condition) }
    }
}
