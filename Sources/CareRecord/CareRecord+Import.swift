import FHIR

extension CareRecord {
    /// Stores a batch of resources from a bulk file in one write transaction. A resource
    /// with an id keeps it (bulk exports refer to each other by `Type/id`); one without gets a
    /// new id. Each resource succeeds or fails on its own, in its own savepoint.
    public func importResources(_ resources: [JSON]) async throws -> [Result<WriteResult, RecordError>] {
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
        let ready = prepared
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
