import CareRecord
import FHIR

/// Writes history Bundles (and, through `SearchBundle`, searchsets) straight from stored bytes: each resource is spliced
/// in as it was stored, never parsed and re-serialised, so a page of a thousand versions
/// costs little more than copying them.
enum BundleBytes {
    static func history(_ page: HistoryPage, query: HistoryQuery, path: String, base: String) -> [UInt8] {
        let origin = base.hasSuffix("/fhir") ? String(base.dropLast(5)) : base
        var parameters = ["_count=\(query.count)"]
        if let since = query.since { parameters.append("_since=\(since)") }
        var selfParameters = parameters
        if let before = query.before { selfParameters.append("_page=\(before)") }
        var links: [JSON] = [["relation": "self", "url": .string("\(origin)\(path)?\(selfParameters.joined(separator: "&"))")]]
        if let next = page.next {
            links.append(["relation": "next", "url": .string("\(origin)\(path)?\((parameters + ["_page=\(next)"]).joined(separator: "&"))")])
        }
        let header: JSON = ["resourceType": "Bundle", "type": "history", "link": .array(links)]
        let entries = page.versions.map { stored -> [UInt8] in
            var entry: JSONObject = ["fullUrl": .string("\(base)/\(stored.key)")]
            let url = stored.method == .create ? stored.key.type : stored.key.description
            entry["request"] = ["method": .string(stored.method.httpVerb), "url": .string(url)]
            let status = stored.created ? "201 Created" : stored.isDeletion ? "204 No Content" : "200 OK"
            entry["response"] = ["status": .string(status), "etag": .string(stored.etag),
                                 "lastModified": .string(stored.lastUpdated.description)]
            return splice(entry, resource: stored.body)
        }
        return bundle(header, entries: entries)
    }

    /// The entry object with `"resource": <raw bytes>` added as its last member.
    static func splice(_ entry: JSONObject, resource: [UInt8]?) -> [UInt8] {
        var bytes = JSONSerializer.bytes(.object(entry))
        guard let resource else { return bytes }
        bytes.removeLast()
        bytes.append(contentsOf: #","resource":"#.utf8)
        bytes.append(contentsOf: resource)
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    static func bundle(_ header: JSON, entries: [[UInt8]]) -> [UInt8] {
        var bytes = JSONSerializer.bytes(header)
        guard !entries.isEmpty else { return bytes }
        bytes.removeLast()
        bytes.append(contentsOf: #","entry":["#.utf8)
        for (index, entry) in entries.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: entry)
        }
        bytes.append(contentsOf: "]}".utf8)
        return bytes
    }
}
