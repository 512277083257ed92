import Foundation
import NIOConcurrencyHelpers

/// Where a SQLite record's audit entries of reads and refusals wait, on disk, until they are
/// loaded into the log in large batches. A request's entry is written here (one `write`, on
/// the request's own thread) before its answer leaves: from then on the kernel holds it, so
/// a crash of the server does not lose it, as a commit with SQLite's `synchronous=NORMAL` is
/// not lost; committing each read's entry to the database instead halved the reads a server
/// answers (each commit rewrites whole pages of the log's tables).
///
/// The journal is a folder beside the store (`record.sqlite-audit`) of segment files, one
/// written at a time by each process, each held under an exclusive `flock` while its process
/// lives. A load takes the current segment's entries (kept in memory too), starts a new
/// segment, commits the entries to the log and deletes the old file. A process that opens the
/// record loads the segments no one holds (their process died) before anything else.
final class AuditJournal: Sendable {
    let folder: String

    private struct Segment {
        var descriptor: Int32
        var path: String
        var entries: [AuditEntry] = []
    }

    private let current: NIOLockedValueBox<Segment>
    private let counter = NIOLockedValueBox(0)

    init(folder: String) throws {
        self.folder = folder
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        current = NIOLockedValueBox(Segment(descriptor: -1, path: ""))
        let segment = try openSegment()
        current.withLockedValue { $0 = segment }
    }

    deinit {
        let segment = current.withLockedValue { $0 }
        if segment.descriptor >= 0 { close(segment.descriptor) }
    }

    /// How many entries wait in the current segment.
    var waiting: Int { current.withLockedValue { $0.entries.count } }

    /// Writes `entries` to the current segment; returns once the kernel has them.
    func append(_ entries: [AuditEntry]) throws {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entries.count * 320)
        for entry in entries { AuditEntryCodec.encodeFramed(entry, into: &bytes) }
        try current.withLockedValue { segment in
            try Self.write(bytes, to: segment.descriptor, path: segment.path)
            segment.entries += entries
        }
    }

    /// The current segment's entries and file, a new segment taking its place; nil if none wait.
    func takeSegment() throws -> (entries: [AuditEntry], path: String, descriptor: Int32)? {
        guard waiting > 0 else { return nil }
        let fresh = try openSegment()
        let old = current.withLockedValue { segment -> Segment? in
            guard !segment.entries.isEmpty else { return nil }
            defer { segment = fresh }
            return segment
        }
        guard let old else {
            close(fresh.descriptor)
            unlink(fresh.path)
            return nil
        }
        return (old.entries, old.path, old.descriptor)
    }

    /// Deletes a segment whose entries are committed to the log.
    static func discard(path: String, descriptor: Int32) {
        unlink(path)
        close(descriptor)
    }

    /// Segments in `folder` that no living process holds, each with its entries (a record
    /// cut short by a crash mid-write ends them), locked for the caller to load and discard.
    static func orphans(in folder: String) -> [(entries: [AuditEntry], path: String, descriptor: Int32)] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".journal") }.sorted()
        return names.compactMap { name in
            let path = folder + "/" + name
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { return nil }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                close(descriptor)
                return nil
            }
            let bytes = (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))) ?? []
            var entries: [AuditEntry] = []
            var offset = 0
            while let entry = AuditEntryCodec.decodeFramed(bytes, at: &offset) { entries.append(entry) }
            return (entries, path, descriptor)
        }
    }

    private func openSegment() throws -> Segment {
        let number = counter.withLockedValue { value -> Int in
            value += 1
            return value
        }
        let path = "\(folder)/\(ProcessInfo.processInfo.processIdentifier)-\(UInt64(Date().timeIntervalSince1970 * 1000))-\(number).journal"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw JournalError(path: path, errno: errno) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw JournalError(path: path, errno: errno)
        }
        return Segment(descriptor: descriptor, path: path)
    }

    private static func write(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if result < 0 {
                if errno == EINTR { continue }
                throw JournalError(path: path, errno: errno)
            }
            written += result
        }
    }

    struct JournalError: Error, CustomStringConvertible {
        let path: String
        let errno: Int32
        var description: String { "the audit journal \(path) could not be written (errno \(errno))" }
    }
}
