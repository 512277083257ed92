import CompressNIO
import Foundation
import NIOCore

/// Writes a gzip file (RFC 1952, what `gunzip` and `zcat` read) from bytes handed over in
/// pieces, compressing as it goes: memory holds one input piece and a 256 KB window of
/// output whatever the size of the file, so an area of gigabytes can be written compressed.
///
/// Level 1 (zlib's fastest), not zlib's default 6: on 200 MB of generated NDJSON, written in
/// 1 MB pieces on one core, level 1 ran at about 420 MB/s and level 6 at about 185 MB/s,
/// for a file 23% larger (15.4 MB against 12.5 MB). Generated text compresses so well that
/// either is small; what matters is that the generator never waits on its compressor, and
/// real output with more varied values will compress more slowly than this.
public final class GzipFileWriter {
    public static let defaultLevel: Int32 = 1

    private let handle: FileHandle
    private let compressor: ZlibCompressor
    private var input = ByteBufferAllocator().buffer(capacity: 1 << 20)
    private var window = ByteBufferAllocator().buffer(capacity: 256 << 10)
    private var closed = false
    /// Bytes handed to `write`.
    public private(set) var uncompressedBytes = 0
    /// Bytes written to the file so far; final after `close`.
    public private(set) var compressedBytes = 0

    /// Creates (or truncates) the file at `path`. `level` is zlib's, 1 (fastest) to 9 (smallest).
    public init(path: String, level: Int32 = GzipFileWriter.defaultLevel) throws {
        precondition((1...9).contains(level), "gzip levels run from 1 to 9")
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        compressor = try ZlibCompressor(algorithm: .gzip, configuration: ZlibConfiguration(compressionLevel: level))
    }

    public func write(_ bytes: [UInt8]) throws {
        precondition(!closed, "write after close")
        guard !bytes.isEmpty else { return }
        uncompressedBytes += bytes.count
        // One reused input buffer: a fresh ByteBuffer per call would allocate per call.
        input.clear()
        input.writeBytes(bytes)
        try input.compressStream(with: compressor, window: &window, flush: .no, process: emit)
    }

    /// Finishes the gzip stream (the trailer carries the CRC and length) and closes the file.
    /// A file that is never closed is not a valid gzip file.
    public func close() throws {
        guard !closed else { return }
        closed = true
        input.clear()
        try input.compressStream(with: compressor, window: &window, flush: .finish, process: emit)
        try handle.close()
    }

    private func emit(_ compressed: ByteBuffer) throws {
        try handle.write(contentsOf: Data(compressed.readableBytesView))
        compressedBytes += compressed.readableBytes
    }

    deinit {
        if !closed { try? handle.close() }
    }
}
