import FHIR
import Foundation

/// Loads files into the record through the same write path as the API: NDJSON (one
/// resource a line, streamed in batches, memory bounded whatever the size) and Bundles
/// (transaction or batch, streamed in passes, one write transaction). Bad records are
/// reported and skipped unless `strict`.
public struct Importer: Sendable {
    public enum Failure: Error, CustomStringConvertible {
        case unreadable(String)
        case strictStop(ImportSummary.Failure)
        case notABundle(String)

        public var description: String {
            switch self {
            case .unreadable(let file): "cannot read \(file)"
            case .strictStop(let failure): "stopped (--strict) at \(failure.file) \(failure.location): \(failure.error)"
            case .notABundle(let file): "\(file) is not a transaction or batch Bundle (NDJSON files end in .ndjson)"
            }
        }
    }

    /// Resources per write transaction, and the writer's page cache in megabytes, for a bulk
    /// load into a store that already holds resources: large transactions and a cache that
    /// holds all they change, since every commit writes each page it changed to the WAL and
    /// the search index's value-ordered B-trees, which stay up, take rows all over the file
    /// (20,000 people with the indexes up: 197 s at 1,000 a batch and 64 MB, 147 s at 10,000
    /// and 1 GB).
    public static let filledStoreBatchSize = 10_000
    public static let filledStoreCacheMegabytes = 1_024

    /// The same for a load into an empty store, whose value indexes are built at the end
    /// (`CareRecord.bulkLoad`): rows only append, so small batches cost little and keep the
    /// writer and the preparation of the next batch in step (20,000 people: 110.7 s at 500 and
    /// 64 MB, 124.8 s at 10,000 and 1 GB, peak memory 459 MB against 1.6 GB).
    public static let emptyStoreBatchSize = 500
    public static let emptyStoreCacheMegabytes = 64

    public let record: CareRecord
    public var strict: Bool
    /// Resources per write transaction for NDJSON.
    public var batchSize: Int

    public init(record: CareRecord, strict: Bool = false, batchSize: Int = 500) {
        self.record = record
        self.strict = strict
        self.batchSize = batchSize
    }

    /// Imports `file`, adding to `summary`; `progress` is told how far it has got.
    public func importFile(_ file: String, into summary: inout ImportSummary,
                           progress: @escaping @Sendable (ImportProgress) -> Void = { _ in }) async throws {
        if file.hasSuffix(".ndjson") || file.hasSuffix(".jsonl") {
            try await importNDJSON(file, into: &summary, progress: progress)
        } else {
            try await importBundle(file, into: &summary, progress: progress)
        }
    }

    /// Batches are pipelined: the next batch is parsed, validated and indexed while the one
    /// before it is written, so the single writer, which every load waits for, only writes.
    /// Under `strict` each batch is written before the next is read, so the stop comes at the
    /// first bad record in file order.
    private func importNDJSON(_ file: String, into summary: inout ImportSummary,
                              progress: @Sendable (ImportProgress) -> Void) async throws {
        let reader: LineReader
        do { reader = try LineReader(path: file) } catch { throw Failure.unreadable(file) }
        var batch: [ArraySlice<UInt8>] = []
        var lines: [Int] = []
        /// Lines of this batch too long to read, reported with its unparsable ones in file order.
        var tooLong: [Int] = []
        var writing: (lines: [Int], write: ImportWrite)?
        func settle() async throws {
            guard let current = writing else { return }
            writing = nil
            let results = try await current.write.results()
            for (line, result) in zip(current.lines, results) {
                switch result {
                case .success(let write): summary.count(write)
                case .failure(let error): try report(ImportSummary.Failure(file: file, location: "line \(line)", error: error), &summary)
                }
            }
            progress(ImportProgress(bytesRead: reader.bytesRead, stored: summary.stored, pass: nil))
        }
        func flush() async throws {
            guard !batch.isEmpty || !tooLong.isEmpty else { return }
            let (parsed, prepared) = await Self.parseAndPrepare(batch, lines: lines, for: record)
            let failures = parsed.failures.map { line, error in
                (line, RecordError(.invalid, .structure, "not valid JSON: \(error)"))
            } + tooLong.map { ($0, RecordError(.invalid, .tooLong, "the line is longer than an NDJSON record may be")) }
            tooLong.removeAll()
            for (line, error) in failures.sorted(by: { $0.0 < $1.0 }) {
                try report(ImportSummary.Failure(file: file, location: "line \(line)", error: error), &summary)
            }
            try await settle()
            writing = (parsed.lines, record.beginImport(prepared))
            batch.removeAll(keepingCapacity: true)
            lines.removeAll(keepingCapacity: true)
            if strict { try await settle() }
        }
        do {
            while let next = try reader.next() {
                guard case .text(let line) = next else {
                    tooLong.append(reader.lineNumber)
                    continue
                }
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                batch.append(line)
                lines.append(reader.lineNumber)
                if batch.count >= batchSize { try await flush() }
            }
            try await flush()
            try await settle()
        } catch {
            // A batch still being written finishes and is counted before the error goes up.
            try? await settle()
            throw error
        }
        summary.bytesRead += reader.bytesRead
    }

    /// Parses a batch's lines and prepares what parsed (`CareRecord.prepareImport`) on a
    /// thread of its own. Not on the caller's: Swift's tasks run on NIO's event loops here
    /// (`joinedup`'s main), and a loader busy for half a second on one held back whatever else
    /// that loop had to do meanwhile, the writer's COPY task and its connection's I/O included
    /// (an import to PostgreSQL ran on one core's worth of time).
    private static func parseAndPrepare(_ batch: [ArraySlice<UInt8>], lines: [Int],
                                        for record: CareRecord) async -> (ParsedLines, ImportBatch) {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let parser = JSONParser()
                var parsed = ParsedLines()
                var resources: [JSON] = []
                for (text, line) in zip(batch, lines) {
                    do {
                        resources.append(try parser.parse(text))
                        parsed.lines.append(line)
                    } catch {
                        parsed.failures.append((line, "\(error)"))
                    }
                }
                continuation.resume(returning: (parsed, record.prepareImport(resources)))
            }
        }
    }

    /// The line numbers of a batch's lines that parsed, and why the others did not.
    private struct ParsedLines: Sendable {
        var lines: [Int] = []
        var failures: [(line: Int, error: String)] = []
    }

    private func importBundle(_ file: String, into summary: inout ImportSummary,
                              progress: @escaping @Sendable (ImportProgress) -> Void) async throws {
        let outcome: BundleFileOutcome
        do {
            outcome = try await record.importBundle(at: file) { pass, bytes in
                progress(ImportProgress(bytesRead: bytes, stored: nil, pass: pass))
            }
        } catch let error as BundleEntryStream.StreamError {
            try report(ImportSummary.Failure(file: file, location: "file",
                                             error: RecordError(.invalid, .structure, "not a readable Bundle: \(error)")), &summary)
            return
        } catch is NotABundleFile {
            throw Failure.notABundle(file)
        } catch let error as RecordError {
            try report(ImportSummary.Failure(file: file, location: "bundle", error: error), &summary)
            return
        }
        summary.bytesRead += (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        summary.referencesResolved += outcome.referencesResolved
        for (type, count) in outcome.storedByType { summary.storedByType[type, default: 0] += count }
        for failure in outcome.failures {
            try report(ImportSummary.Failure(file: file, location: "entry \(failure.index)", error: failure.error), &summary)
        }
        if outcome.failureCount > outcome.failures.count {
            summary.failureCount += outcome.failureCount - outcome.failures.count
        }
    }

    private func report(_ failure: ImportSummary.Failure, _ summary: inout ImportSummary) throws {
        summary.failureCount += 1
        if summary.failures.count < ImportSummary.keptFailures { summary.failures.append(failure) }
        if strict { throw Failure.strictStop(failure) }
    }
}
