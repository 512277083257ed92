import ArgumentParser
import CareRecord
import Foundation
import Storage

/// `joinedup migrate`: moves a whole record from one store to another (SQLite to PostgreSQL,
/// or back), every version, the change log and the current pointers, then checks the copy
/// against the source by counts and checksums (`RecordDigest`) and builds the target's search
/// index. Stop the source's server first: the source must not change while it is copied.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy a whole record to an empty store (e.g. SQLite to PostgreSQL) and verify the copy.")

    @Option(help: "The record to copy: a SQLite file (sqlite:FILE or a path) or a postgres:// address.")
    var from: String

    @Option(help: "Where to copy it: an empty (or new) SQLite file or PostgreSQL database or schema.")
    var to: String

    @Option(help: "Rows per read and per write transaction.")
    var batchSize = 2_000

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
        _ = try storeLocation(from, option: "--from")
        _ = try storeLocation(to, option: "--to")
    }

    func run() async throws {
        let sourceLocation = try storeLocation(from, option: "--from")
        let targetLocation = try storeLocation(to, option: "--to")
        if case .sqlite(let path) = sourceLocation, !FileManager.default.fileExists(atPath: path) {
            throw ValidationError("--from: there is no file \(path)")
        }
        let clock = ContinuousClock()
        let started = clock.now
        let source = try await CareRecord.open(sourceLocation)
        defer { source.close() }
        let before = try await source.digest()
        say("Source \(sourceLocation): \(before)")

        do {
            let target = try await CareRecord.open(targetLocation)
            defer { target.close() }
            var copy = RecordCopy(from: source, to: target)
            copy.batchSize = batchSize
            let progress = ProgressLine()
            let total = before.versions + before.resources
            try await copy.run { done in
                progress.show("Copied \(done.versions) versions and \(done.resources) resources of \(total) rows")
            }
            progress.finish()
        } catch let error as RecordCopyError {
            throw ValidationError("--to: \(error)")
        }
        // Opening the target again builds its search index from the copied resources.
        say("Building the search index of \(targetLocation)...")
        let target = try await CareRecord.open(targetLocation)
        defer { target.close() }
        let after = try await target.digest()
        let differences = before.differences(from: after)
        let seconds = (clock.now - started).seconds
        guard differences.isEmpty else {
            say("The copy differs from the source: " + differences.joined(separator: "; "))
            throw ExitCode(3)
        }
        say("Target \(targetLocation): \(after)")
        say("Verified: the same counts and checksums on both sides. \(String(format: "%.1f", seconds)) s in all.")
    }
}
