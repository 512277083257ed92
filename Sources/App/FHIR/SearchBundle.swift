import CareRecord
import FHIR

/// Writes a searchset Bundle from a page: matches, then included resources, then (when
/// parameters were ignored) an OperationOutcome saying which, as FHIR's lenient handling
/// asks. Resources are spliced in as stored unless `_summary`/`_elements` cut them down.
enum SearchBundle {
    static func bytes(page: SearchPage, base: String, link: SearchLinks, ignored: [String], subset: ResourceSubset?,
                      matchMode: String, includeMode: String) -> [UInt8] {
        var header: JSONObject = ["resourceType": "Bundle", "type": "searchset"]
        if let total = page.total { header["total"] = .number(String(total)) }
        var links: [JSON] = [["relation": "self", "url": .string(link.url())]]
        if let next = page.next { links.append(["relation": "next", "url": .string(link.url(cursor: next))]) }
        header["link"] = .array(links)
        var entries: [[UInt8]] = []
        for (mode, versions) in [(matchMode, page.matches), (includeMode, page.included)] {
            for stored in versions {
                var body = stored.body
                if let subset, let original = body { body = subset.apply(original, type: stored.key.type) }
                entries.append(BundleBytes.splice(["fullUrl": .string("\(base)/\(stored.key)"), "search": ["mode": .string(mode)]],
                                                  resource: body))
            }
        }
        if !ignored.isEmpty {
            let names = ignored.map { "'\($0.prefix(100))'" }.joined(separator: ", ")
            let outcome = OperationOutcome.json(FHIRIssue(.warning, .notSupported,
                "these parameters are not known for this search and were ignored: \(names)"))
            entries.append(JSONSerializer.bytes(["search": ["mode": "outcome"], "resource": outcome]))
        }
        return BundleBytes.bundle(.object(header), entries: entries)
    }
}
