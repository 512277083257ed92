import Foundation

/// Reads a file line by line in fixed-size chunks, so an NDJSON file of any size is read
/// in bounded memory: one chunk plus one line, and a line longer than `maxLineBytes` is
/// skipped (reported as `.tooLong`) rather than held.
public final class LineReader {
    public enum Line {
        case text(ArraySlice<UInt8>)
        /// The line was longer than the limit; its bytes were discarded.
        case tooLong
    }

    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var finished = false
    private let chunkSize: Int
    private let maxLineBytes: Int
    /// Inside an overlong line: bytes are dropped until its newline.
    private var discarding = false
    /// Bytes read from the file so far, for progress.
    public private(set) var bytesRead = 0
    /// The 1-based number of the line last returned.
    public private(set) var lineNumber = 0

    public init(path: String, chunkSize: Int = 1 << 20, maxLineBytes: Int = 64 << 20) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoSuchFile)
        }
        self.handle = handle
        self.chunkSize = chunkSize
        self.maxLineBytes = maxLineBytes
    }

    deinit { try? handle.close() }

    /// The next line without its newline (and without a trailing carriage return), or nil at
    /// the end of the file.
    public func next() throws -> Line? {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                var line = buffer[start..<newline]
                start = newline + 1
                lineNumber += 1
                if discarding {
                    discarding = false
                    return .tooLong
                }
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                return .text(line)
            }
            if finished {
                guard start < buffer.count || discarding else { return nil }
                let line = buffer[start...]
                start = buffer.count
                lineNumber += 1
                if discarding {
                    discarding = false
                    return .tooLong
                }
                return .text(line)
            }
            if buffer.count - start > maxLineBytes {
                discarding = true
                start = buffer.count
            }
            buffer.removeSubrange(0..<start)
            start = 0
            let chunk = try handle.read(upToCount: chunkSize) ?? Data()
            if chunk.isEmpty { finished = true } else {
                bytesRead += chunk.count
                buffer.append(contentsOf: chunk)
            }
        }
    }
}
