import FHIR

extension RecordWriter {
    /// Resolves a conditional reference (`Patient?identifier=...`) to the `Type/id` of the one
    /// live resource it matches; none or several is an error, since a reference must name one.
    func resolveConditionalReference(_ reference: String) throws -> String {
        let query = try ConditionalQuery(url: reference)
        let ids = try transaction.matches(query)
        guard ids.count == 1 else {
            throw RecordError(ids.isEmpty ? .notFound : .multipleMatches, ids.isEmpty ? .notFound : .multipleMatches,
                              "a conditional reference must match exactly one resource; it matched \(ids.count)")
        }
        return "\(query.type)/\(ids[0])"
    }

    /// A single resource written outside a bundle may use conditional references too; they are
    /// resolved here so that nothing unresolved is ever stored. `indexed`, computed ahead
    /// from the resource as sent, comes back only if no reference changed.
    func resolvingReferences(_ resource: JSONObject, indexed: ResourceIndex?) throws
        -> (resource: JSONObject, indexed: ResourceIndex?) {
        let rewriter = ReferenceRewriter(identity: { _ in nil }, resolveConditional: resolveConditionalReference,
                                         refusesUnknownURNs: false)
        var resource = resource
        let changed = try rewriter.rewrite(&resource, location: resource["resourceType"]?.stringValue ?? "Resource")
        return (resource, changed > 0 ? nil : indexed)
    }
}
