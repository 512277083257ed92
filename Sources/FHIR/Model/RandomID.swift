/// Server-assigned ids: UUIDs from the system's CSPRNG, time-ordered (version 7) by default.
///
/// Version 7 puts the time first, so new resources land at the right edge of the store's
/// B-tree indexes instead of at random pages: a bulk load of random (version 4) ids dirtied a
/// page per insert and spent its time writing the WAL. Foundation's `UUID()` is not used: on
/// Linux it opens, reads and closes /dev/urandom for each id.
public enum RandomID {
    /// A version 7 UUID for `millisecondsSince1970` (RFC 9562): 48 bits of time, then random.
    public static func uuidV7(millisecondsSince1970: Int64) -> String {
        var generator = SystemRandomNumberGenerator()
        let time = UInt64(max(0, millisecondsSince1970)) & 0xFFFF_FFFF_FFFF
        let random = generator.next() as UInt64
        let high = time << 16 | 0x7000 | (random & 0x0FFF)
        let low = ((generator.next() as UInt64) & ~(0xC000 << 48)) | (0x8000 << 48)
        return format(high, low)
    }

    /// A version 4 (all random) UUID.
    public static func uuid() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = ((generator.next() as UInt64) & ~0xF000) | 0x4000
        let low = ((generator.next() as UInt64) & ~(0xC000 << 48)) | (0x8000 << 48)
        return format(high, low)
    }

    private static func format(_ high: UInt64, _ low: UInt64) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var bytes = [UInt8](repeating: UInt8(ascii: "-"), count: 36)
        var position = 0
        for word in [high, low] {
            var shift = 60
            while shift >= 0 {
                if position == 8 || position == 13 || position == 18 || position == 23 { position += 1 }
                bytes[position] = hex[Int((word >> UInt64(shift)) & 0xF)]
                position += 1
                shift -= 4
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
