import FHIR

/// Prepares a resource for storage: the server owns `id`, `meta.versionId` and
/// `meta.lastUpdated`, and keeps `resourceType`, `id`, `meta` first, as people expect to read them.
enum ResourceBody {
    static func stamped(_ resource: JSONObject, id: String, version: Int, lastUpdated: FHIRInstant) -> JSONObject {
        var resource = resource
        var meta = resource["meta"]?.objectValue ?? JSONObject()
        meta.set("versionId", .string(String(version)), at: 0)
        meta.set("lastUpdated", .string(lastUpdated.description), at: 1)
        let type = resource["resourceType"] ?? .null
        resource.set("resourceType", type, at: 0)
        resource.set("id", .string(id), at: 1)
        resource.set("meta", .object(meta), at: 2)
        return resource
    }

    /// The resource's own identifiers (`identifier`, one or many), for conditional lookups.
    static func identifiers(_ resource: JSONObject) -> [IdentifierValue] {
        let elements: [JSON]
        switch resource["identifier"] {
        case .array(let array): elements = array
        case .object(let object): elements = [.object(object)]
        default: return []
        }
        var seen = Set<IdentifierValue>()
        return elements.compactMap { element in
            guard let value = element["value"]?.stringValue else { return nil }
            let identifier = IdentifierValue(system: element["system"]?.stringValue ?? "", value: value)
            return seen.insert(identifier).inserted ? identifier : nil
        }
    }
}
