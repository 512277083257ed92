import FHIR

/// A Bundle file as a `BundleEntrySource`: each pass streams the file again
/// (`BundleEntryStream`), so only one entry is in memory at a time.
struct FileBundleEntries: BundleEntrySource {
    let path: String
    let validator: ResourceValidator

    /// The top-level members other than `entry` (`resourceType`, `type`, ...), read by one
    /// scan that skips the entries: a Bundle may name its type after its entries.
    static func members(of path: String) throws -> [String: JSON] {
        let stream = try BundleEntryStream(path: path)
        var members: [String: JSON] = [:]
        while let event = try stream.next() {
            if case .member(let name, let value) = event { members[name] = value }
        }
        return members
    }

    func forEachEntry(validate: Bool, _ body: (Int, Result<BundleEntryRequest, RecordError>) throws -> Void) throws {
        let stream = try BundleEntryStream(path: path)
        let parser = JSONParser()
        while let event = try stream.next() {
            switch event {
            case .member:
                continue
            case .entry(let index, let bytes):
                let entry: JSON
                do {
                    entry = try parser.parse(bytes)
                } catch {
                    try body(index, .failure(RecordError(.invalid, .structure, "the entry is not valid JSON: \(error)",
                                                         at: ["Bundle.entry[\(index)]"])))
                    continue
                }
                try body(index, BundleEntryRequest.parse(entry, index: index, validator: validator, validate: validate))
            case .entryTooLarge(let index):
                try body(index, .failure(RecordError(.invalid, .tooLong, "the entry is larger than an import takes",
                                                     at: ["Bundle.entry[\(index)]"])))
            }
        }
    }
}
