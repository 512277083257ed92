import FHIR
import Foundation

/// One entry of a transaction or batch, parsed: what it asks for and on what. Parsing does not
/// touch the store, so a malformed bundle is refused before the write lock is taken.
struct BundleEntryRequest {
    enum Method: String {
        case get = "GET", head = "HEAD", post = "POST", put = "PUT", delete = "DELETE", patch = "PATCH"
    }

    enum Target {
        /// `Patient` (a create, or a search with no parameters).
        case type(String)
        /// `Patient/123`.
        case instance(ResourceKey)
        /// `Patient/123/_history/2`.
        case version(ResourceKey, Int)
        /// `Patient?identifier=...`.
        case conditional(ConditionalQuery)
    }

    let index: Int
    let fullUrl: String?
    let method: Method
    let target: Target
    var resource: JSONObject?
    let patch: JSONPatch?
    let ifMatch: Int?
    let ifNoneExist: ConditionalQuery?
    /// The resource's own id (a conditional update with no match keeps it).
    let ownID: String?

    /// `Bundle.entry[n]`, the FHIRPath prefix of this entry's faults.
    var location: String { "Bundle.entry[\(index)]" }

    init(entry: JSON, index: Int) throws(RecordError) {
        self.index = index
        let location = "Bundle.entry[\(index)]"
        guard let object = entry.objectValue else {
            throw RecordError(.invalid, .structure, "a bundle entry must be an object", at: [location])
        }
        fullUrl = object["fullUrl"]?.stringValue
        guard let request = object["request"]?.objectValue else {
            throw RecordError(.invalid, .required, "a transaction or batch entry needs a request", at: ["\(location).request"])
        }
        guard let methodText = request["method"]?.stringValue, let method = Method(rawValue: methodText) else {
            throw RecordError(.invalid, .value, "request.method must be GET, HEAD, POST, PUT, DELETE or PATCH",
                              at: ["\(location).request.method"])
        }
        guard let url = request["url"]?.stringValue, !url.isEmpty else {
            throw RecordError(.invalid, .required, "request.url is required", at: ["\(location).request.url"])
        }
        self.method = method
        target = try Self.target(url, location: "\(location).request.url")
        ifMatch = try request["ifMatch"]?.stringValue.map { text throws(RecordError) in
            guard let version = ETag.version(text) else {
                throw RecordError(.invalid, .value, "ifMatch must be a version ETag such as W/\"3\"", at: ["\(location).request.ifMatch"])
            }
            return version
        }
        if let condition = request["ifNoneExist"]?.stringValue, case .type(let type) = target {
            ifNoneExist = try ConditionalQuery(type: type, query: condition.hasPrefix("?") ? String(condition.dropFirst()) : condition)
        } else {
            ifNoneExist = nil
        }
        resource = object["resource"]?.objectValue
        ownID = resource?["id"]?.stringValue
        if object["resource"] != nil, resource == nil {
            throw RecordError(.invalid, .structure, "entry.resource must be an object", at: ["\(location).resource"])
        }
        switch (method, target) {
        case (.post, .type), (.put, .instance), (.put, .conditional):
            let type = target.type
            guard let resource else {
                throw RecordError(.invalid, .required, "a \(method.rawValue) entry needs a resource", at: ["\(location).resource"])
            }
            guard resource["resourceType"]?.stringValue == type else {
                throw RecordError(.invalid, .invalid, "the resource type does not match request.url", at: ["\(location).resource"])
            }
            if case .instance(let key) = target, resource["id"]?.stringValue != key.id {
                throw RecordError(.invalid, .invalid, "the resource id must match the id in request.url", at: ["\(location).resource.id"])
            }
            patch = nil
        case (.patch, .instance):
            patch = try Self.patch(from: resource, location: "\(location).resource")
        case (.delete, .instance), (.delete, .conditional), (.get, _), (.head, _):
            patch = nil
        default:
            throw RecordError(.invalid, .notSupported, "\(method.rawValue) is not supported on this kind of URL",
                              at: ["\(location).request"])
        }
    }

    static func target(_ url: String, location: String) throws(RecordError) -> Target {
        if url.contains("?") { return .conditional(try ConditionalQuery(url: url)) }
        let parts = url.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard let type = parts.first, FHIRDefinitions.r4.isResourceType(type) else {
            throw RecordError(.invalid, .notSupported, "request.url must start with a known resource type", at: [location])
        }
        switch parts.count {
        case 1: return .type(type)
        case 2 where ResourceID.isValid(parts[1]): return .instance(ResourceKey(type, parts[1]))
        case 4 where ResourceID.isValid(parts[1]) && parts[2] == "_history":
            if let version = Int(parts[3]), version > 0 { return .version(ResourceKey(type, parts[1]), version) }
        default: break
        }
        throw RecordError(.invalid, .value, "request.url is not a resource URL this server understands", at: [location])
    }

    /// A PATCH entry carries its JSON Patch in a Binary resource, as FHIR specifies.
    static func patch(from resource: JSONObject?, location: String) throws(RecordError) -> JSONPatch {
        guard let resource, resource["resourceType"]?.stringValue == "Binary",
              resource["contentType"]?.stringValue == "application/json-patch+json",
              let data = resource["data"]?.stringValue, let decoded = Data(base64Encoded: data) else {
            throw RecordError(.invalid, .invalid,
                              "a PATCH entry needs a Binary resource of contentType application/json-patch+json with base64 data",
                              at: [location])
        }
        do {
            return try JSONPatch(json: try JSONParser().parse(decoded))
        } catch let error as JSONPatchError {
            throw RecordError(.invalid, [error.issue])
        } catch {
            throw RecordError(.invalid, .structure, "the JSON Patch in the Binary is not valid JSON", at: [location])
        }
    }
}

extension BundleEntryRequest.Target {
    /// The resource type the target names.
    var type: String {
        switch self {
        case .type(let type): type
        case .instance(let key), .version(let key, _): key.type
        case .conditional(let query): query.type
        }
    }
}
