import FHIR
import Storage

extension CareRecord {
    /// Records the entry of a request that wrote nothing (a read, a search, a refusal), and
    /// returns once it is safe: written to the journal (SQLite, `AuditJournal`), or committed
    /// to the log grouped with others arriving meanwhile (PostgreSQL, `AuditBatches`).
    public func audit(_ entry: AuditEntry) async throws {
        switch auditSink {
        case .journal(let loader):
            try loader.append([entry])
        case .batches(let batches):
            try await batches.record(entry) { [self] entries in
                try await database.write { connection in try AuditChain.append(entries, on: connection) }
            }
        }
    }

    /// Commits every entry still in the journal to the log: before the log is read, and when
    /// a server stops.
    public func flushAudit() async throws {
        if case .journal(let loader) = auditSink { try await loader.flush() }
    }

    /// Checks the whole log: numbers without gaps from 1 and every hash as the chain says
    /// (`AuditChain`), a page at a time, each page in a snapshot of its own (entries appended
    /// meanwhile are checked if reached). With `expecting`, the head an operator wrote down
    /// earlier must still be in the log with that hash.
    public func verifyAudit(expecting anchor: AuditAnchor? = nil, pageSize: Int = 10_000) async throws -> AuditVerification {
        try await flushAudit()
        var previous = AuditChain.origin
        var last: Int64 = 0
        var anchorSeen = false
        /// The last entry found sound, as the verification's head.
        func verification(_ fault: AuditFault?) -> AuditVerification {
            AuditVerification(count: last, head: last > 0 ? AuditAnchor(sequence: last, hash: previous) : nil, fault: fault)
        }
        while true {
            let page = try await read { [last] connection in try AuditRows.read(after: last, limit: pageSize, on: connection) }
            guard !page.isEmpty else { break }
            for (entry, stored) in page {
                guard entry.sequence == last + 1 else { return verification(AuditFault(sequence: last + 1, reason: .missing)) }
                guard AuditChain.hash(entry, after: previous) == stored else {
                    return verification(AuditFault(sequence: entry.sequence, reason: .altered))
                }
                if let anchor, anchor.sequence == entry.sequence {
                    guard anchor.hash == stored else {
                        return AuditVerification(count: entry.sequence, head: nil,
                                                 fault: AuditFault(sequence: entry.sequence, reason: .notTheAnchor))
                    }
                    anchorSeen = true
                }
                previous = stored
                last = entry.sequence
            }
        }
        if let anchor, !anchorSeen { return verification(AuditFault(sequence: anchor.sequence, reason: .missing)) }
        return verification(nil)
    }

    /// The entries that touched patient `id`'s record, newest first: those naming the Patient,
    /// and those naming a resource now in the patient's compartment (a read of their
    /// Observation by id, a search whose page held it). `before` pages on.
    public func auditEntries(patient id: String, before: Int64? = nil, count: Int = 50) async throws -> [AuditEntry] {
        try await flushAudit()
        let pids = search.compartmentPIDs(search.patientCompartment.filter { $0.key != "Patient" })
        let before = before ?? Int64.max
        return try await read { connection in
            // Every bucket up to the newest, as a set the index is sought in one by one.
            let newest = try connection.fetchOne("SELECT max(seq) FROM audit_event")?[0].int64 ?? 0
            let buckets = "WITH RECURSIVE buckets(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM buckets WHERE n < \(AuditRows.bucket(newest))) "
            var arguments: [SQLValue] = [.text(id), .integer(before), .text(id)]
            arguments += pids.map(SQLValue.integer)
            arguments += [.integer(before), count.sqlValue]
            let sequences = try connection.fetchAll(buckets + """
                SELECT seq FROM (
                    SELECT e.seq FROM buckets b JOIN audit_entity e ON e.bucket = b.n
                    WHERE e.type = 'Patient' AND e.id = ? AND e.seq < ?
                    UNION
                    SELECT e.seq FROM search_reference s
                    JOIN resource r ON r.rid = s.rid
                    JOIN buckets b ON TRUE
                    JOIN audit_entity e ON e.bucket = b.n AND e.type = r.type AND e.id = r.id
                    WHERE s.target_type = 'Patient' AND s.target_id = ? AND s.pid \(RidSet.inList(pids.count)) AND e.seq < ?
                ) found ORDER BY seq DESC LIMIT ?
                """, arguments).compactMap { $0[0].int64 }
            return try AuditRows.read(sequences: sequences, on: connection)
        }
    }

    /// Up to `limit` entries after number `after`, oldest first.
    public func auditLog(after: Int64 = 0, limit: Int = 1000) async throws -> [AuditEntry] {
        try await flushAudit()
        return try await read { connection in try AuditRows.read(after: after, limit: limit, on: connection).map(\.entry) }
    }

    /// Entries by number, in the order asked.
    public func auditEntries(sequences: [Int64]) async throws -> [AuditEntry] {
        try await flushAudit()
        return try await read { connection in try AuditRows.read(sequences: sequences, on: connection) }
    }
}

/// A point of the audit chain, as an operator writes it down: `sequence:hash`.
public struct AuditAnchor: Sendable, Hashable, CustomStringConvertible {
    public let sequence: Int64
    public let hash: [UInt8]

    public init(sequence: Int64, hash: [UInt8]) {
        self.sequence = sequence
        self.hash = hash
    }

    /// Parses `sequence:hex`.
    public init?(_ text: String) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let sequence = Int64(parts[0]), sequence > 0, parts[1].utf8.count == 64 else { return nil }
        var bytes: [UInt8] = []
        var index = parts[1].startIndex
        while index < parts[1].endIndex {
            let next = parts[1].index(index, offsetBy: 2)
            guard let byte = UInt8(parts[1][index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(sequence: sequence, hash: bytes)
    }

    public var description: String {
        "\(sequence):" + hash.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}

/// What `verifyAudit` found: how many entries hold, the head, and the first fault.
public struct AuditVerification: Sendable, Hashable {
    public let count: Int64
    public let head: AuditAnchor?
    public let fault: AuditFault?
}

public struct AuditFault: Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// The entry is not there: removed, or (for an anchor) the log was cut short.
        case missing
        /// The entry's fields or its place no longer give its hash.
        case altered
        /// The anchor's entry holds another hash: the log was rewritten from there or before.
        case notTheAnchor
    }

    public let sequence: Int64
    public let reason: Reason

    public var description: String {
        switch reason {
        case .missing: "entry \(sequence) is missing"
        case .altered: "entry \(sequence) was altered (its hash no longer follows from it and the entry before)"
        case .notTheAnchor: "entry \(sequence) does not carry the hash written down for it: the log was rewritten"
        }
    }
}
