import FHIR

/// Writes resources as FHIR transaction Bundles of a fixed number of entries
/// (`bundles/bundle-000001.json`, ...), each entry a PUT of the resource at its own id, so that
/// the files load in any order through `joinedup import` or `POST /fhir` and loading twice
/// changes nothing but version numbers.
public final class BundleDirectoryWriter {
    private let files: OutputFiles
    private let entriesPerBundle: Int
    private var buffer: [UInt8] = []
    private var entries = 0
    public private(set) var bundles = 0
    public private(set) var bytesWritten = 0

    public init(files: OutputFiles, entriesPerBundle: Int = 1000) {
        self.files = files
        self.entriesPerBundle = max(1, entriesPerBundle)
    }

    public func write(_ resource: JSON) throws {
        let type = resource["resourceType"]?.stringValue ?? "Unknown"
        let id = resource["id"]?.stringValue ?? ""
        buffer.append(contentsOf: Array((entries == 0 ? #"{"resourceType":"Bundle","type":"transaction","entry":["# : ",").utf8))
        buffer.append(contentsOf: Array(#"{"resource":"#.utf8))
        JSONSerializer.write(resource, into: &buffer)
        buffer.append(contentsOf: Array(#","request":{"method":"PUT","url":"#.utf8))
        JSONSerializer.write(.string("\(type)/\(id)"), into: &buffer)
        buffer.append(contentsOf: Array("}}".utf8))
        entries += 1
        if entries == entriesPerBundle { try flush() }
    }

    public func close() throws {
        if entries > 0 { try flush() }
    }

    private func flush() throws {
        buffer.append(contentsOf: Array("]}\n".utf8))
        bundles += 1
        let file = try files.open("bundle-\(pad(bundles, 6)).json", in: "bundles")
        try file.write(buffer)
        try file.close()
        bytesWritten += buffer.count
        buffer.removeAll(keepingCapacity: true)
        entries = 0
    }
}
