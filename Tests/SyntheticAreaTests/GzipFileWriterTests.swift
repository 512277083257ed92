import Foundation
import SyntheticArea
import Testing

/// The writer's files are read back by the real `gzip`, the reader anyone receiving them
/// would use: a round trip through our own code could agree with itself and still be wrong.
@Suite("Synthetic area: gzip output")
struct GzipFileWriterTests {
    /// NDJSON-like lines with varying values, so the compressor has real work to do.
    func lines(_ count: Int, seed: UInt64) -> [UInt8] {
        var random = SeededGenerator(seed: seed)
        var text: [UInt8] = []
        for index in 0..<count {
            text += Array("{\"resourceType\":\"Patient\",\"id\":\"p-\(index)\",\"birthDate\":\"19\(10 + random.next() % 90)-0\(1 + random.next() % 9)-1\(random.next() % 10)\",\"note\":\"\(random.next())\"}\n".utf8)
        }
        return text
    }

    /// Decompresses `path` with the system's gzip, as a child process writing to a file.
    /// Waits by polling, not `waitUntilExit`: tests share a pool of two threads here.
    func gunzip(_ path: String) async throws -> (status: Int32, bytes: [UInt8]) {
        let output = path + ".out"
        FileManager.default.createFile(atPath: output, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", path]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(10)) }
        return (process.terminationStatus, [UInt8](try Data(contentsOf: URL(fileURLWithPath: output))))
    }

    func temporaryFile() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("gzip-test-\(UUID().uuidString).ndjson.gz").path
    }

    @Test func megabytesInPiecesOfEverySizeComeBackWhole() async throws {
        let path = temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: path); try? FileManager.default.removeItem(atPath: path + ".out") }
        let text = lines(60_000, seed: 7)
        #expect(text.count > 5_000_000)
        let writer = try GzipFileWriter(path: path)
        // Single bytes, odd sizes, and pieces larger than the writer's buffers.
        var offset = 0
        for size in [1, 1, 7, 1000, 65_537, 3 << 20, 300_001].cycled(until: text.count) {
            let end = min(offset + size, text.count)
            try writer.write(Array(text[offset..<end]))
            offset = end
            if offset == text.count { break }
        }
        try writer.write([])
        try writer.close()

        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(writer.compressedBytes == size)
        #expect(writer.uncompressedBytes == text.count)
        #expect(size < text.count / 2, "it compresses")
        let read = try await gunzip(path)
        #expect(read.status == 0)
        #expect(read.bytes == text)
    }

    @Test func anEmptyFileIsAValidEmptyGzip() async throws {
        let path = temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: path); try? FileManager.default.removeItem(atPath: path + ".out") }
        let writer = try GzipFileWriter(path: path)
        try writer.close()
        try writer.close()
        #expect(writer.compressedBytes > 0, "a gzip header and trailer, even for nothing")
        let read = try await gunzip(path)
        #expect(read.status == 0)
        #expect(read.bytes.isEmpty)
    }

    @Test func aFileNeverClosedIsNotMistakenForAWholeOne() async throws {
        let path = temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: path); try? FileManager.default.removeItem(atPath: path + ".out") }
        do {
            let writer = try GzipFileWriter(path: path)
            try writer.write(lines(20_000, seed: 3))
        }
        #expect(try await gunzip(path).status != 0, "gzip reports the missing trailer")
    }
}

extension Array {
    /// The elements repeated, in order, enough times for their sum to reach `total`.
    fileprivate func cycled(until total: Int) -> [Element] where Element == Int {
        var result: [Int] = []
        var sum = 0
        while sum < total {
            for element in self { result.append(element); sum += element }
        }
        return result
    }
}
