/// A FHIR date, dateTime or instant as the interval it stands for: FHIR times are ranges at
/// their own precision ("2020" is the whole year), and date search compares ranges (R4
/// search 3.1.1.4.6), so the index stores both ends and the searched value is parsed the same.
public struct FHIRDateRange: Sendable, Hashable {
    /// Inclusive, milliseconds since 1970-01-01T00:00:00Z.
    public let low: Int64
    /// Inclusive, milliseconds since 1970-01-01T00:00:00Z.
    public let high: Int64

    public init(low: Int64, high: Int64) {
        self.low = low
        self.high = high
    }

    /// `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, then `Thh`, `Thh:mm`, `Thh:mm:ss`, `Thh:mm:ss.f+`, each
    /// with an optional zone (`Z` or `±hh:mm`, at most ±14:00) once a time is present. The
    /// range spans the last component given; fractional seconds give one millisecond (more
    /// digits are truncated). Without a zone the value is taken in UTC. Nil when malformed
    /// or impossible (month 13, 30 February, hour 24, year 0000, second 60).
    public static func parse(_ text: String) -> FHIRDateRange? {
        var scanner = DateScanner(bytes: Array(text.utf8))
        return scanner.parse()
    }
}

/// The parser behind `FHIRDateRange.parse`, byte by byte (no Foundation formatters).
private struct DateScanner {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func number(_ digits: Int) -> Int? {
        guard index + digits <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[index..<index + digits] {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        index += digits
        return value
    }

    mutating func expect(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    var atEnd: Bool { index == bytes.count }

    mutating func parse() -> FHIRDateRange? {
        guard let year = number(4), year >= 1 else { return nil }
        guard expect(UInt8(ascii: "-")) else {
            guard atEnd else { return nil }
            let start = CivilTime.daysFromCivil(year: year, month: 1, day: 1)
            let end = CivilTime.daysFromCivil(year: year + 1, month: 1, day: 1)
            return days(start, end)
        }
        guard let month = number(2), (1...12).contains(month) else { return nil }
        guard expect(UInt8(ascii: "-")) else {
            guard atEnd else { return nil }
            let start = CivilTime.daysFromCivil(year: year, month: month, day: 1)
            return days(start, start + CivilTime.daysIn(month: month, year: year))
        }
        guard let day = number(2), day >= 1, day <= CivilTime.daysIn(month: month, year: year) else { return nil }
        let dayStart = Int64(CivilTime.daysFromCivil(year: year, month: month, day: day)) * 86_400_000
        guard expect(UInt8(ascii: "T")) else {
            guard atEnd else { return nil }
            return FHIRDateRange(low: dayStart, high: dayStart + 86_400_000 - 1)
        }
        guard let hour = number(2), hour < 24 else { return nil }
        var offset: Int64 = Int64(hour) * 3_600_000
        var width: Int64 = 3_600_000
        if expect(UInt8(ascii: ":")) {
            guard let minute = number(2), minute < 60 else { return nil }
            offset += Int64(minute) * 60_000
            width = 60_000
            if expect(UInt8(ascii: ":")) {
                guard let second = number(2), second < 60 else { return nil }
                offset += Int64(second) * 1000
                width = 1000
                if expect(UInt8(ascii: ".")) {
                    var scale: Int64 = 100
                    var digits = 0
                    while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                        offset += Int64(bytes[index] - 0x30) * scale
                        scale /= 10
                        index += 1
                        digits += 1
                    }
                    guard digits > 0 else { return nil }
                    width = 1
                }
            }
        }
        guard let zone = zoneMilliseconds(), atEnd else { return nil }
        let low = dayStart + offset - zone
        return FHIRDateRange(low: low, high: low + width - 1)
    }

    /// `Z`, `±hh:mm` or nothing (UTC); nil when the zone is malformed or beyond ±14:00.
    mutating func zoneMilliseconds() -> Int64? {
        if atEnd || expect(UInt8(ascii: "Z")) { return 0 }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") else { return nil }
        let sign: Int64 = bytes[index] == UInt8(ascii: "-") ? -1 : 1
        index += 1
        guard let hours = number(2), expect(UInt8(ascii: ":")), let minutes = number(2), minutes < 60 else { return nil }
        let total = hours * 60 + minutes
        guard total <= 14 * 60 else { return nil }
        return sign * Int64(total) * 60_000
    }

    func days(_ start: Int, _ end: Int) -> FHIRDateRange {
        FHIRDateRange(low: Int64(start) * 86_400_000, high: Int64(end) * 86_400_000 - 1)
    }
}
