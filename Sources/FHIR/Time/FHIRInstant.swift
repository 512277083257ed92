/// A point in time as the store keeps it (milliseconds since 1970, UTC) and as FHIR writes it
/// (`2026-11-23T07:37:00.123Z`). Written by hand because Foundation's formatters are slow
/// enough to show up when every write stamps `meta.lastUpdated`.
public struct FHIRInstant: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let millisecondsSince1970: Int64

    public init(millisecondsSince1970: Int64) {
        self.millisecondsSince1970 = millisecondsSince1970
    }

    public static func < (lhs: FHIRInstant, rhs: FHIRInstant) -> Bool {
        lhs.millisecondsSince1970 < rhs.millisecondsSince1970
    }

    /// `YYYY-MM-DDThh:mm:ss.sssZ`, the FHIR instant form.
    public var description: String {
        let parts = CivilTime(self)
        return "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))T"
            + "\(pad(parts.hour, 2)):\(pad(parts.minute, 2)):\(pad(parts.second, 2)).\(pad(parts.millisecond, 3))Z"
    }

    /// The HTTP date form (RFC 9110 IMF-fixdate) for `Last-Modified`.
    public var httpDate: String {
        let parts = CivilTime(self)
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let days = Int(millisecondsSince1970.floorDivided(by: 86_400_000))
        let weekday = weekdays[((days % 7) + 7) % 7]
        return "\(weekday), \(pad(parts.day, 2)) \(months[parts.month - 1]) \(pad(parts.year, 4)) "
            + "\(pad(parts.hour, 2)):\(pad(parts.minute, 2)):\(pad(parts.second, 2)) GMT"
    }

    /// Parses a FHIR instant or a dateTime with at least seconds... down to a year; a partial
    /// value means its earliest moment, and a missing zone means UTC. Used for `_since`.
    public init?(parsing text: String) {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + digits] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += digits
            return value
        }
        func expect(_ char: Character) -> Bool {
            guard index < bytes.count, bytes[index] == char.asciiValue! else { return false }
            index += 1
            return true
        }
        guard let year = number(4) else { return nil }
        var month = 1, day = 1, hour = 0, minute = 0, second = 0, millisecond = 0, offsetMinutes = 0
        if expect("-") {
            guard let m = number(2) else { return nil }
            month = m
            if expect("-") {
                guard let d = number(2) else { return nil }
                day = d
                if expect("T") {
                    guard let h = number(2), expect(":"), let mi = number(2) else { return nil }
                    hour = h
                    minute = mi
                    if expect(":") {
                        guard let s = number(2) else { return nil }
                        second = s
                        if expect(".") {
                            var scale = 100
                            var digits = 0
                            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                                millisecond += Int(bytes[index] - 48) * scale
                                scale /= 10
                                index += 1
                                digits += 1
                            }
                            guard digits > 0 else { return nil }
                        }
                    }
                    if expect("Z") {
                        offsetMinutes = 0
                    } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                        let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
                        index += 1
                        guard let oh = number(2), expect(":"), let om = number(2), oh <= 14, om < 60 else { return nil }
                        offsetMinutes = sign * (oh * 60 + om)
                    }
                }
            }
        }
        guard index == bytes.count, (1...12).contains(month), day >= 1,
              day <= CivilTime.daysIn(month: month, year: year), hour < 24, minute < 60, second < 61
        else { return nil }
        let days = CivilTime.daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetMinutes * 60)
        self.init(millisecondsSince1970: seconds * 1000 + Int64(millisecond))
    }
}

private func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
}

extension Int64 {
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
