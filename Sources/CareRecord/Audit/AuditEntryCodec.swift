import FHIR

/// An audit entry as bytes, both ways: every field in a fixed order, integers as 8 bytes big
/// endian, texts as their length then their UTF-8 (nil as length -1), so no two entries encode
/// alike. The hash chain hashes this encoding (`AuditChain`), and the journal stores it
/// (`AuditJournal`).
enum AuditEntryCodec {
    static func encode(_ entry: AuditEntry, into bytes: inout [UInt8]) {
        append(entry.sequence, to: &bytes)
        append(entry.recorded.millisecondsSince1970, to: &bytes)
        append(entry.action, to: &bytes)
        append(entry.interaction, to: &bytes)
        append(Int64(entry.status), to: &bytes)
        append(entry.agent.user, to: &bytes)
        append(entry.agent.organisation, to: &bytes)
        append(entry.agent.role, to: &bytes)
        append(entry.agent.patient, to: &bytes)
        append(entry.address, to: &bytes)
        append(entry.path, to: &bytes)
        append(entry.query, to: &bytes)
        append(entry.detail, to: &bytes)
        append(Int64(entry.entities.count), to: &bytes)
        for entity in entry.entities {
            append(entity.type, to: &bytes)
            append(entity.id, to: &bytes)
            append(entity.version.map(Int64.init) ?? -1, to: &bytes)
        }
    }

    /// `entry` after its length, as a file of many holds it (`AuditJournal`).
    static func encodeFramed(_ entry: AuditEntry, into bytes: inout [UInt8]) {
        let start = bytes.count
        append(0, to: &bytes)
        encode(entry, into: &bytes)
        withUnsafeBytes(of: Int64(bytes.count - start - 8).bigEndian) { length in
            bytes.replaceSubrange(start..<start + 8, with: length)
        }
    }

    /// The entry framed at `offset` (moved past it), nil if the bytes end before it does or
    /// do not hold exactly one (a record cut short by a crash mid-write).
    static func decodeFramed(_ bytes: [UInt8], at offset: inout Int) -> AuditEntry? {
        var reader = Reader(bytes: bytes, offset: offset)
        guard let length = reader.integer(), length >= 0, reader.offset + Int(length) <= bytes.count else { return nil }
        var start = reader.offset
        guard let entry = decode(bytes, at: &start), start == reader.offset + Int(length) else { return nil }
        offset = start
        return entry
    }

    /// The entry encoded from `offset` (moved past it), nil if the bytes end before it does
    /// or do not hold one.
    static func decode(_ bytes: [UInt8], at offset: inout Int) -> AuditEntry? {
        var reader = Reader(bytes: bytes, offset: offset)
        guard let sequence = reader.integer(), let recorded = reader.integer(),
              let action = reader.text() ?? nil, let interaction = reader.text() ?? nil, let status = reader.integer(),
              let user = reader.text(), let organisation = reader.text(), let role = reader.text(),
              let patient = reader.text(), let address = reader.text(), let path = reader.text() ?? nil,
              let query = reader.text(), let detail = reader.text(), let count = reader.integer(),
              count >= 0, count <= Int64(bytes.count) else { return nil }
        var entities: [AuditEntity] = []
        for _ in 0..<count {
            guard let type = reader.text() ?? nil, let id = reader.text() ?? nil, let version = reader.integer() else { return nil }
            entities.append(AuditEntity(type, id, version: version < 0 ? nil : Int(version)))
        }
        offset = reader.offset
        return AuditEntry(sequence: sequence, recorded: FHIRInstant(millisecondsSince1970: recorded), action: action,
                          interaction: interaction, status: Int(status),
                          agent: AuditAgent(user: user, organisation: organisation, role: role, patient: patient),
                          address: address, path: path, query: query, detail: detail, entities: entities)
    }

    private static func append(_ value: Int64, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    private static func append(_ text: String?, to bytes: inout [UInt8]) {
        guard let text else { return append(Int64(-1), to: &bytes) }
        append(Int64(text.utf8.count), to: &bytes)
        bytes.append(contentsOf: text.utf8)
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset: Int

        mutating func integer() -> Int64? {
            guard offset + 8 <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[offset..<offset + 8] { value = value << 8 | Int64(byte) }
            offset += 8
            return value
        }

        /// nil when the bytes end; .some(nil) for an encoded nil.
        mutating func text() -> String?? {
            guard let length = integer() else { return nil }
            if length == -1 { return .some(nil) }
            guard length >= 0, offset + Int(length) <= bytes.count else { return nil }
            defer { offset += Int(length) }
            return .some(String(decoding: bytes[offset..<offset + Int(length)], as: UTF8.self))
        }
    }
}
