import ArgumentParser
import CareRecord
import Foundation

/// `joinedup import`: loads FHIR Bundles and NDJSON files into the store, through the same
/// write path as the API. The server need not run.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import FHIR Bundles (.json) and bulk NDJSON (.ndjson) into the store; either may be gzipped (.gz).")

    @Option(help: "Where the record is kept: a SQLite file (created if missing) or a postgres:// address.")
    var database = "joinedup.sqlite"

    @Flag(help: "Stop at the first bad record instead of reporting and skipping it.")
    var strict = false

    @Option(help: "Resources per write transaction for NDJSON. Default: \(Importer.emptyStoreBatchSize) into an empty store, \(Importer.filledStoreBatchSize) otherwise.")
    var batchSize: Int?

    @Option(name: .customLong("cache-mb"), help: "The writer's page cache in megabytes; larger batches want more. Default: \(Importer.emptyStoreCacheMegabytes) into an empty store, \(Importer.filledStoreCacheMegabytes) otherwise.")
    var cacheMegabytes: Int?

    func validate() throws {
        if let batchSize, batchSize <= 0 { throw ValidationError("--batch-size must be positive") }
        if let cacheMegabytes, cacheMegabytes <= 0 { throw ValidationError("--cache-mb must be positive") }
    }

    @Argument(help: "Files to import, in order.")
    var files: [String]

    func run() async throws {
        let location = try storeLocation(database)
        let record = try await CareRecord.open(location, writerCacheMegabytes: cacheMegabytes ?? Importer.emptyStoreCacheMegabytes)
        defer { record.close() }
        // Into an empty SQLite store the value indexes are built at the end and small batches do
        // best; into one with resources, large batches and a large cache (see `Importer`).
        // PostgreSQL takes large batches either way: a batch is a few statements.
        let empty = try await record.isEmpty()
        if !empty, cacheMegabytes == nil, location.engine == .sqlite {
            try await record.embedded.setWriterCacheMegabytes(Importer.filledStoreCacheMegabytes)
        }
        let defaultBatch = empty && location.engine == .sqlite ? Importer.emptyStoreBatchSize : Importer.filledStoreBatchSize
        let importer = Importer(record: record, strict: strict, batchSize: batchSize ?? defaultBatch)
        var summary = ImportSummary()
        let progress = ProgressLine()
        let started = Date()
        var stages = ImportStages(started: started)
        do {
            // Into an empty store the search index's value indexes are built once, at the end.
            try await record.bulkLoad(building: {
                stages.mark("building the search indexes")
                progress.note("Building the search indexes...")
            }, analysing: {
                stages.mark("vacuum and analyse")
                progress.note("Vacuuming and analysing the tables...")
            }) {
                for file in files {
                    // A gzipped file is unpacked beside the system's temporary files first: the
                    // importers read their files more than once and by position.
                    let plain = try unpacked(file)
                    defer { if plain != file { try? FileManager.default.removeItem(atPath: (plain as NSString).deletingLastPathComponent) } }
                    let size = (try? FileManager.default.attributesOfItem(atPath: plain)[.size] as? Int) ?? 0
                    try await importer.importFile(plain, into: &summary) { update in
                        progress.show(file: file, update, size: size, seconds: Date().timeIntervalSince(started))
                    }
                }
            }
        } catch let failure as Importer.Failure {
            progress.finish()
            print(summary.report(seconds: Date().timeIntervalSince(started)))
            try await recordInAuditLog(record, summary, stoppedBy: failure.description)
            throw ValidationError(failure.description)
        }
        progress.finish()
        try await recordInAuditLog(record, summary, stoppedBy: nil)
        let finished = Date()
        print(summary.report(seconds: finished.timeIntervalSince(started)))
        if let line = stages.report(finished: finished) { print(line) }
        if summary.failureCount > 0 { throw ExitCode(2) }
    }
}

/// An import is one audit entry: who ran it (the account on this machine), the files, and
/// what was stored; its resources are too many to name one by one, and the change log holds them.
private func recordInAuditLog(_ record: CareRecord, _ summary: ImportSummary, stoppedBy failure: String?) async throws {
    var detail = "\(summary.stored) resources stored, \(summary.failureCount) rejected"
    if let failure { detail += "; stopped: \(failure.prefix(256))" }
    try await record.audit(AuditEntry(
        recorded: RecordEnvironment.wallClock(), action: "C", interaction: "import", status: 0,
        agent: AuditAgent(user: "os:" + NSUserName(), role: "system"), path: "joinedup import",
        query: String(CommandLine.arguments.dropFirst().joined(separator: " ").prefix(2048)), detail: detail))
    // The command ends here: its entry goes into the log now, not when the store is next opened.
    try await record.flushAudit()
}

/// The file itself, or for `NAME.gz` a temporary `NAME` unpacked from it.
private func unpacked(_ file: String) throws -> String {
    guard file.hasSuffix(".gz") else { return file }
    let name = String((file as NSString).lastPathComponent.dropLast(3))
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("joinedup-import-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let plain = folder.appendingPathComponent(name).path
    do {
        try Gunzip.decompress(file, to: plain)
    } catch let failure as Gunzip.Failure {
        throw ValidationError(failure.description)
    }
    return plain
}

extension ImportSummary {
    /// The closing summary: resources by type, then each failure with its place.
    func report(seconds: Double) -> String {
        var lines = ["Imported \(stored) resources in \(String(format: "%.1f", seconds)) s"
            + (seconds > 0 ? " (\(Int(Double(stored) / seconds)) resources/s)" : "")]
        for (type, count) in storedByType.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(type.padding(toLength: 28, withPad: " ", startingAt: 0)) \(count)")
        }
        if referencesResolved > 0 {
            lines.append("Resolved \(referencesResolved) references between entries of the same bundle (urn:uuid and conditional).")
        }
        if failureCount > 0 {
            lines.append("\(failureCount) record(s) rejected:")
            for failure in failures {
                lines.append("  \(failure.file) \(failure.location): "
                    + failure.error.issues.map(\.description).joined(separator: "; "))
            }
            if failureCount > failures.count { lines.append("  ... and \(failureCount - failures.count) more") }
        }
        return lines.joined(separator: "\n")
    }
}
