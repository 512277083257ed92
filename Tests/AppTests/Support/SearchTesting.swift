import FHIR
import HummingbirdTesting
import Testing

extension FHIRClient {
    /// GETs a search and returns its Bundle, failing the test unless it is a 200 searchset.
    func searchBundle(_ uri: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSON {
        let response = try await get(uri)
        guard response.status == .ok else {
            throw TestFailure("\(uri) answered \(response.status): \(response.text.prefix(600))")
        }
        let bundle = try response.json()
        #expect(bundle["type"] == "searchset", sourceLocation: sourceLocation)
        return bundle
    }
}

extension JSON {
    /// Ids of the entries with `search.mode` = `mode`, in Bundle order.
    func entryIDs(_ mode: String = "match") -> [String] {
        entries.filter { $0["search"]?["mode"]?.stringValue == mode }.compactMap { $0["resource"]?["id"]?.stringValue }
    }

    /// `Type/id` of the entries with `search.mode` = `mode`, in Bundle order.
    func entryKeys(_ mode: String) -> [String] {
        entries.filter { $0["search"]?["mode"]?.stringValue == mode }.compactMap { entry in
            guard let type = entry["resource"]?["resourceType"]?.stringValue, let id = entry["resource"]?["id"]?.stringValue
            else { return nil }
            return "\(type)/\(id)"
        }
    }

    /// The URL of the link with `relation`, if any.
    func link(_ relation: String) -> String? {
        self["link"]?.elements.first { $0["relation"]?.stringValue == relation }?["url"]?.stringValue
    }

    /// The path and query of a link URL, for the test client (which takes no host).
    static func pathAndQuery(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let slash = url[scheme.upperBound...].firstIndex(of: "/") else { return url }
        return String(url[slash...])
    }
}
