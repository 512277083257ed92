import CompressNIO
import Foundation
import NIOCore

/// Unpacks a gzip file into another file in pieces, so that `joinedup import` can load what
/// `joinedup generate --gzip` wrote (gigabytes) with flat memory. The importer then reads the
/// plain file as usual, including the Bundle importer's several passes over it.
enum Gunzip {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func decompress(_ source: String, to destination: String) throws {
        guard let input = FileHandle(forReadingAtPath: source) else { throw Failure(description: "cannot read \(source)") }
        defer { try? input.close() }
        guard FileManager.default.createFile(atPath: destination, contents: nil) else {
            throw Failure(description: "cannot write \(destination)")
        }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: destination))
        defer { try? output.close() }
        let decompressor = try ZlibDecompressor(algorithm: .gzip)
        var window = ByteBufferAllocator().buffer(capacity: 1 << 20)
        var compressed = ByteBufferAllocator().buffer(capacity: 1 << 20)
        func drain() throws {
            if window.readableBytes > 0 { try output.write(contentsOf: Data(window.readableBytesView)) }
            window.clear()
        }
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
            compressed.clear()
            compressed.writeBytes(chunk)
            while compressed.readableBytes > 0 {
                let before = (compressed.readableBytes, window.readableBytes)
                do {
                    try compressed.decompressStream(to: &window, with: decompressor)
                } catch let error as CompressNIOError where error == .bufferOverflow {
                    try drain()
                    continue
                } catch let error as CompressNIOError where error == .corruptData {
                    throw Failure(description: "\(source) is not a valid gzip file")
                }
                if window.writableBytes == 0 { try drain() }
                // The stream has ended but bytes remain: not something our generator writes.
                if (compressed.readableBytes, window.readableBytes) == before {
                    throw Failure(description: "\(source) has data after the end of its gzip stream")
                }
            }
        }
        try drain()
    }
}
