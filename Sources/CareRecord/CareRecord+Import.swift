import FHIR

/// Resources from a bulk source, validated and ready to store: validation needs no lock, so a
/// loader can validate the next batch while the previous one is being written.
public struct ImportBatch: Sendable {
    /// Each resource's object, or why it was refused, in the order given.
    let prepared: [Result<JSONObject, RecordError>]

    public var count: Int { prepared.count }
}

extension CareRecord {
    /// Stores a batch of resources from a bulk file in one write transaction. A resource
    /// with an id keeps it (bulk exports refer to each other by `Type/id`); one without gets a
    /// new id. Each resource succeeds or fails on its own, in its own savepoint.
    public func importResources(_ resources: [JSON]) async throws -> [Result<WriteResult, RecordError>] {
        try await importResources(prepareImport(resources))
    }

    /// Validates resources for `importResources(_: ImportBatch)`, outside any transaction.
    public func prepareImport(_ resources: [JSON]) -> ImportBatch {
        var prepared: [Result<JSONObject, RecordError>] = []
        prepared.reserveCapacity(resources.count)
        for resource in resources {
            prepared.append(Result { () throws(RecordError) -> JSONObject in
                let object = try validated(resource)
                if let id = object["id"], !(id.stringValue.map(ResourceID.isValid) ?? false) {
                    throw RecordError(.invalid, .value, "the resource id is not a valid FHIR id", at: ["id"])
                }
                return object
            })
        }
        return ImportBatch(prepared: prepared)
    }

    /// Stores a validated batch in one write transaction; see `importResources(_: [JSON])`.
    public func importResources(_ batch: ImportBatch) async throws -> [Result<WriteResult, RecordError>] {
        let ready = batch.prepared
        return try await write { writer in
            var results: [Result<WriteResult, RecordError>] = []
            results.reserveCapacity(ready.count)
            for item in ready {
                switch item {
                case .failure(let error):
                    results.append(.failure(error))
                case .success(let object):
                    do {
                        results.append(.success(try writer.transaction.isolated {
                            let type = object["resourceType"]?.stringValue ?? ""
                            if let id = object["id"]?.stringValue {
                                return try writer.update(object, key: ResourceKey(type, id), ifMatch: nil)
                            }
                            return try writer.create(object, type: type)
                        }))
                    } catch let error as RecordError {
                        // Storage failures are not the record's fault: they end the import.
                        results.append(.failure(error))
                    }
                }
            }
            return results
        }
    }
}
