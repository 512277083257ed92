import FHIR
import Synchronization

/// A Bundle file as a `BundleEntrySource`: each pass streams the file again
/// (`BundleEntryStream`), so only one entry is in memory at a time.
struct FileBundleEntries: BundleEntrySource {
    let path: String
    let validator: ResourceValidator
    /// Told the pass number and bytes read, every thousand entries and at each pass's end.
    let progress: @Sendable (_ pass: Int, _ bytesRead: Int) -> Void
    private let passes = PassCounter()

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
        let pass = passes.next()
        defer { progress(pass, stream.bytesRead) }
        while let event = try stream.next() {
            switch event {
            case .member:
                continue
            case .entry(let index, let bytes):
                if index % 1000 == 999 { progress(pass, stream.bytesRead) }
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

/// Counts the passes over a file (the processor's passes run one after another).
private final class PassCounter: Sendable {
    private let count = Mutex(0)

    func next() -> Int {
        count.withLock { count in
            count += 1
            return count
        }
    }
}
