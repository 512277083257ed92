import Storage

/// What a record holds, summed so that two stores can be compared without comparing them row
/// by row: counts of versions and resources, live resources by type, the bytes of every body,
/// and a checksum of every version and of every current pointer (each field of each row, in
/// `seq` and `rid` order). Two stores with equal digests hold the same record, versions,
/// change log positions and all. `joinedup migrate` compares the source's with the target's.
public struct RecordDigest: Sendable, Equatable, CustomStringConvertible {
    public internal(set) var versions = 0
    public internal(set) var resources = 0
    public internal(set) var liveByType: [String: Int] = [:]
    public internal(set) var bodyBytes = 0
    public internal(set) var versionChecksum = Checksum()
    public internal(set) var resourceChecksum = Checksum()

    public var description: String {
        "\(versions) versions (\(bodyBytes) bytes of bodies, checksum \(versionChecksum)), "
            + "\(resources) resources (\(liveByType.values.reduce(0, +)) live, checksum \(resourceChecksum))"
    }

    /// The fields that differ from `other`'s, named for a person.
    public func differences(from other: RecordDigest) -> [String] {
        var found: [String] = []
        if versions != other.versions { found.append("versions \(versions) against \(other.versions)") }
        if resources != other.resources { found.append("resources \(resources) against \(other.resources)") }
        if bodyBytes != other.bodyBytes { found.append("body bytes \(bodyBytes) against \(other.bodyBytes)") }
        if versionChecksum != other.versionChecksum { found.append("the checksum of the versions") }
        if resourceChecksum != other.resourceChecksum { found.append("the checksum of the current pointers") }
        for type in Set(liveByType.keys).union(other.liveByType.keys).sorted()
        where liveByType[type, default: 0] != other.liveByType[type, default: 0] {
            found.append("live \(type) \(liveByType[type, default: 0]) against \(other.liveByType[type, default: 0])")
        }
        return found
    }
}

/// FNV-1a, 64 bits, over a stream of fields: each field is tagged and length-prefixed, so
/// that ("ab", "c") and ("a", "bc") differ. A checksum against accidents (a lost row, a
/// changed byte), not against an adversary.
public struct Checksum: Sendable, Equatable, CustomStringConvertible {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public var description: String { String(value, radix: 16) }

    mutating func add(_ field: SQLValue) {
        switch field {
        case .null: add(byte: 0)
        case .integer(let number): add(byte: 1); add(number)
        case .real(let number): add(byte: 2); add(Int64(bitPattern: number.bitPattern))
        case .text(let text): add(byte: 3); add(bytes: Array(text.utf8))
        case .blob(let bytes): add(byte: 4); add(bytes: bytes)
        }
    }

    private mutating func add(_ number: Int64) {
        var bits = UInt64(bitPattern: number)
        for _ in 0..<8 {
            add(byte: UInt8(truncatingIfNeeded: bits))
            bits >>= 8
        }
    }

    private mutating func add(bytes: [UInt8]) {
        add(Int64(bytes.count))
        for byte in bytes { add(byte: byte) }
    }

    private mutating func add(byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x100_0000_01b3
    }
}
