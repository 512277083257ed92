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
}
