/// A gzip-compressed output file.
final class GzipOutputFile: OutputFile {
    init(path: String) throws {
        throw GenerateError("--gzip is not available in this build")
    }

    func write(_ bytes: [UInt8]) throws {}
    func close() throws {}
}

/// A problem writing the area that the user can act on.
public struct GenerateError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
