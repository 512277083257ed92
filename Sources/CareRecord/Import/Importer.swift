import FHIR
import Foundation

/// Loads files into the record through the same write path as the API: NDJSON (one
/// resource a line, streamed in batches, memory bounded whatever the size) and Bundles
/// (transaction or batch, one unit). Bad records are reported and skipped unless `strict`.
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

    public let record: CareRecord
    public var strict: Bool
    /// Resources per write transaction for NDJSON.
    public var batchSize: Int
    /// Largest Bundle file read whole; NDJSON has no limit.
    public var maxBundleBytes: Int

    public init(record: CareRecord, strict: Bool = false, batchSize: Int = 500, maxBundleBytes: Int = 512 << 20) {
        self.record = record
        self.strict = strict
        self.batchSize = batchSize
        self.maxBundleBytes = maxBundleBytes
    }

    /// Imports `file`, adding to `summary`; `progress` gets the bytes read and resources
    /// stored so far after each batch.
    public func importFile(_ file: String, into summary: inout ImportSummary,
                           progress: (Int, Int) -> Void = { _, _ in }) async throws {
        if file.hasSuffix(".ndjson") || file.hasSuffix(".jsonl") {
            try await importNDJSON(file, into: &summary, progress: progress)
        } else {
            try await importBundle(file, into: &summary)
        }
    }

    private func importNDJSON(_ file: String, into summary: inout ImportSummary, progress: (Int, Int) -> Void) async throws {
        let reader: LineReader
        do { reader = try LineReader(path: file) } catch { throw Failure.unreadable(file) }
        let parser = JSONParser()
        var batch: [JSON] = []
        var lines: [Int] = []
        func flush() async throws {
            guard !batch.isEmpty else { return }
            let results = try await record.importResources(batch)
            for (line, result) in zip(lines, results) {
                switch result {
                case .success(let write): summary.count(write)
                case .failure(let error): try report(ImportSummary.Failure(file: file, location: "line \(line)", error: error), &summary)
                }
            }
            batch.removeAll(keepingCapacity: true)
            lines.removeAll(keepingCapacity: true)
            progress(reader.bytesRead, summary.stored)
        }
        while let next = try reader.next() {
            guard case .text(let line) = next else {
                try report(ImportSummary.Failure(file: file, location: "line \(reader.lineNumber)", error: RecordError(
                    .invalid, .tooLong, "the line is longer than an NDJSON record may be")), &summary)
                continue
            }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            do {
                batch.append(try parser.parse(line))
                lines.append(reader.lineNumber)
            } catch {
                try report(ImportSummary.Failure(file: file, location: "line \(reader.lineNumber)",
                                                 error: RecordError(.invalid, .structure, "not valid JSON: \(error)")), &summary)
            }
            if batch.count >= batchSize { try await flush() }
        }
        try await flush()
        summary.bytesRead += reader.bytesRead
    }

    private func importBundle(_ file: String, into summary: inout ImportSummary) async throws {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
              let size = attributes[.size] as? Int, let data = FileManager.default.contents(atPath: file) else {
            throw Failure.unreadable(file)
        }
        guard size <= maxBundleBytes else {
            try report(ImportSummary.Failure(file: file, location: "file", error: RecordError(
                .invalid, .tooCostly, "a Bundle file over \(maxBundleBytes >> 20) MB; split it or use NDJSON")), &summary)
            return
        }
        summary.bytesRead += size
        let json: JSON
        do { json = try JSONParser().parse(data) } catch {
            try report(ImportSummary.Failure(file: file, location: "file",
                                             error: RecordError(.invalid, .structure, "not valid JSON: \(error)")), &summary)
            return
        }
        guard json["resourceType"]?.stringValue == "Bundle",
              ["transaction", "batch"].contains(json["type"]?.stringValue ?? "") else { throw Failure.notABundle(file) }
        let result: BundleResult
        do {
            result = try await record.process(bundle: json)
        } catch let error as RecordError {
            try report(ImportSummary.Failure(file: file, location: "bundle", error: error), &summary)
            return
        }
        summary.referencesResolved += result.referencesResolved
        for entry in result.entries {
            if let write = entry.result { summary.count(write) }
            if let error = entry.error {
                try report(ImportSummary.Failure(file: file, location: "entry \(entry.index)", error: error), &summary)
            }
        }
    }

    private func report(_ failure: ImportSummary.Failure, _ summary: inout ImportSummary) throws {
        summary.failureCount += 1
        if summary.failures.count < ImportSummary.keptFailures { summary.failures.append(failure) }
        if strict { throw Failure.strictStop(failure) }
    }
}
