/// Hand-written checks of the R4 primitive formats (the regular expressions of the R4
/// specification, section 2.24), over UTF-8 bytes, without regular expressions.
public enum FHIRPrimitiveFormat {
    /// Largest string accepted (R4: strings SHALL NOT exceed 1 MB).
    public static let maxStringBytes = 1 << 20

    /// Why a primitive value is not acceptable: a rule, never the value.
    public enum Failure: Sendable, Hashable {
        /// The JSON kind is wrong (e.g. a string where a number belongs); the payload is the
        /// JSON kind expected.
        case wrongJSONKind(expected: String)
        case empty
        case tooLong
        case format

        public var message: String {
            switch self {
            case .wrongJSONKind(let expected): "must be a JSON \(expected)"
            case .empty: "must not be empty"
            case .tooLong: "is longer than the 1 MB allowed"
            case .format: "does not match the required format"
            }
        }
    }

    /// Checks a JSON value against a primitive type; nil when it is acceptable.
    public static func check(_ value: JSON, as type: FHIRPrimitiveType) -> Failure? {
        switch type {
        case .boolean:
            if case .bool = value { return nil }
            return .wrongJSONKind(expected: "boolean")
        case .decimal:
            guard case .number(let text) = value else { return .wrongJSONKind(expected: "number") }
            guard isDecimal(text) else { return .format }
            // An exponent can push a literal beyond what any decimal can hold.
            if text.utf8.contains(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
                guard let double = Double(text), double.isFinite else { return .format }
            }
            return nil
        case .integer, .positiveInt, .unsignedInt:
            guard case .number(let text) = value else { return .wrongJSONKind(expected: "number") }
            guard let number = integerValue(text) else { return .format }
            switch type {
            case .positiveInt: return number > 0 ? nil : .format
            case .unsignedInt: return number >= 0 ? nil : .format
            default: return nil
            }
        default:
            guard case .string(let text) = value else { return .wrongJSONKind(expected: "string") }
            return check(text, as: type)
        }
    }

    /// Checks the text of a string-valued primitive; nil when it is acceptable.
    public static func check(_ text: String, as type: FHIRPrimitiveType) -> Failure? {
        if text.isEmpty { return .empty }
        if text.utf8.count > maxStringBytes { return .tooLong }
        let ok: Bool = withBytes(text) { bytes in
            switch type {
            case .string, .markdown: return isString(bytes)
            case .code: return isCode(bytes)
            case .id: return isID(bytes)
            case .uri, .url, .canonical: return isURI(bytes)
            case .oid: return isOID(bytes)
            case .uuid: return isUUIDURN(bytes)
            case .date: return isDate(bytes)
            case .dateTime: return isDateTime(bytes)
            case .instant: return isInstant(bytes)
            case .time: return isTime(bytes)
            case .base64Binary: return isBase64(bytes)
            case .xhtml: return isXHTML(bytes)
            case .boolean, .decimal, .integer, .positiveInt, .unsignedInt: return false
            }
        }
        return ok ? nil : .format
    }

    // MARK: - Public single-format helpers

    public static func isValidID(_ text: String) -> Bool { withBytes(text, isID) }
    public static func isValidCode(_ text: String) -> Bool { withBytes(text, isCode) }
    public static func isValidURI(_ text: String) -> Bool { withBytes(text, isURI) }
    public static func isValidOID(_ text: String) -> Bool { withBytes(text, isOID) }
    /// `urn:uuid:` followed by a UUID (hex digits of either case).
    public static func isValidUUIDURN(_ text: String) -> Bool { withBytes(text, isUUIDURN) }
    public static func isValidDate(_ text: String) -> Bool { withBytes(text, isDate) }
    public static func isValidDateTime(_ text: String) -> Bool { withBytes(text, isDateTime) }
    public static func isValidInstant(_ text: String) -> Bool { withBytes(text, isInstant) }
    public static func isValidTime(_ text: String) -> Bool { withBytes(text, isTime) }
    public static func isValidBase64(_ text: String) -> Bool { withBytes(text, isBase64) }

    /// The value of an R4 integer literal (no fraction or exponent, 32-bit range).
    public static func integerValue(_ text: String) -> Int32? {
        withBytes(text) { bytes -> Int32? in
            var index = 0
            var negative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { negative = true; index += 1 }
            guard index < bytes.count, bytes.count - index <= 11 else { return nil }
            var value: Int64 = 0
            while index < bytes.count {
                let byte = bytes[index]
                guard isDigit(byte) else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
                index += 1
            }
            if negative { value = -value }
            guard value >= Int64(Int32.min), value <= Int64(Int32.max) else { return nil }
            return Int32(value)
        }
    }

    /// A JSON number literal (R4 decimal: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`).
    public static func isDecimal(_ text: String) -> Bool {
        withBytes(text) { bytes in
            var index = 0
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { return false }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
            } else {
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard index < bytes.count, isDigit(bytes[index]) else { return false }
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                    index += 1
                }
                guard index < bytes.count, isDigit(bytes[index]) else { return false }
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            return index == bytes.count
        }
    }

    // MARK: - Byte-level checks

    typealias Bytes = UnsafeBufferPointer<UInt8>

    @inline(__always)
    static func withBytes<R>(_ text: String, _ body: (Bytes) -> R) -> R {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(text.utf8).withUnsafeBufferPointer(body)
    }

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    @inline(__always) static func isHex(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }

    /// The ASCII characters `\s` matches.
    @inline(__always) static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// No control characters other than tab, carriage return and line feed.
    static func isString(_ bytes: Bytes) -> Bool {
        guard !bytes.isEmpty else { return false }
        for byte in bytes where byte < 0x20 {
            if byte != 0x09 && byte != 0x0A && byte != 0x0D { return false }
        }
        return true
    }

    /// `[^\s]+(\s[^\s]+)*`
    static func isCode(_ bytes: Bytes) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        if isSpace(first) || isSpace(last) { return false }
        var previousSpace = false
        for byte in bytes {
            if byte < 0x20 && !isSpace(byte) { return false }
            let space = isSpace(byte)
            if space && previousSpace { return false }
            previousSpace = space
        }
        return true
    }

    /// `[A-Za-z0-9\-\.]{1,64}`
    static func isID(_ bytes: Bytes) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 64 else { return false }
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."):
                continue
            default:
                return false
            }
        }
        return true
    }

    /// `\S*`, and not empty (FHIR forbids empty strings).
    static func isURI(_ bytes: Bytes) -> Bool {
        guard !bytes.isEmpty else { return false }
        for byte in bytes where byte <= 0x20 || byte == 0x7F { return false }
        return true
    }

    static func hasPrefix(_ bytes: Bytes, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard bytes.count >= count else { return false }
        for index in 0..<count where bytes[index] != prefix.utf8Start[index] { return false }
        return true
    }

    /// `urn:oid:[0-2](\.(0|[1-9][0-9]*))+`
    static func isOID(_ bytes: Bytes) -> Bool {
        guard hasPrefix(bytes, "urn:oid:") else { return false }
        return isBareOID(Bytes(rebasing: bytes[8...]))
    }

    static func isBareOID(_ bytes: Bytes) -> Bool {
        guard bytes.count >= 3 else { return false }
        guard bytes[0] >= UInt8(ascii: "0"), bytes[0] <= UInt8(ascii: "2") else { return false }
        var index = 1
        var arcs = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: ".") else { return false }
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { return false }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
            } else {
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            arcs += 1
        }
        return arcs >= 1
    }

    /// `urn:uuid:` + 8-4-4-4-12 hex digits.
    static func isUUIDURN(_ bytes: Bytes) -> Bool {
        guard hasPrefix(bytes, "urn:uuid:") else { return false }
        return isUUID(Bytes(rebasing: bytes[9...]))
    }

    static func isUUID(_ bytes: Bytes) -> Bool {
        guard bytes.count == 36 else { return false }
        for index in 0..<36 {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                if bytes[index] != UInt8(ascii: "-") { return false }
            } else if !isHex(bytes[index]) {
                return false
            }
        }
        return true
    }

    /// Reads `count` digits at `index`, or nil.
    @inline(__always)
    static func number(_ bytes: Bytes, _ index: Int, _ count: Int) -> Int? {
        guard index + count <= bytes.count else { return nil }
        var value = 0
        for offset in 0..<count {
            let byte = bytes[index + offset]
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Parses `YYYY(-MM(-DD)?)?` from the start; returns the end index and the precision
    /// (1 year, 2 month, 3 day), or nil.
    static func datePart(_ bytes: Bytes) -> (end: Int, precision: Int)? {
        guard let year = number(bytes, 0, 4), year >= 1 else { return nil }
        if bytes.count == 4 || bytes[4] != UInt8(ascii: "-") { return (4, 1) }
        guard let month = number(bytes, 5, 2), (1...12).contains(month) else { return nil }
        if bytes.count == 7 || bytes[7] != UInt8(ascii: "-") { return (7, 2) }
        guard let day = number(bytes, 8, 2), day >= 1, day <= daysIn(month: month, year: year) else { return nil }
        return (10, 3)
    }

    /// `hh:mm:ss(.fff)?` from `index`; returns the end index or nil.
    static func timePart(_ bytes: Bytes, _ index: Int) -> Int? {
        guard let hour = number(bytes, index, 2), hour <= 23,
              index + 2 < bytes.count, bytes[index + 2] == UInt8(ascii: ":"),
              let minute = number(bytes, index + 3, 2), minute <= 59,
              index + 5 < bytes.count, bytes[index + 5] == UInt8(ascii: ":"),
              let second = number(bytes, index + 6, 2), second <= 60
        else { return nil }
        var end = index + 8
        if end < bytes.count, bytes[end] == UInt8(ascii: ".") {
            end += 1
            guard end < bytes.count, isDigit(bytes[end]) else { return nil }
            while end < bytes.count, isDigit(bytes[end]) { end += 1 }
        }
        return end
    }

    /// `Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)` exactly from `index` to the end.
    static func zonePart(_ bytes: Bytes, _ index: Int) -> Bool {
        guard index < bytes.count else { return false }
        if bytes[index] == UInt8(ascii: "Z") { return index + 1 == bytes.count }
        guard bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") else { return false }
        guard bytes.count == index + 6, bytes[index + 3] == UInt8(ascii: ":"),
              let hour = number(bytes, index + 1, 2), let minute = number(bytes, index + 4, 2)
        else { return false }
        if hour == 14 { return minute == 0 }
        return hour <= 13 && minute <= 59
    }

    static func isDate(_ bytes: Bytes) -> Bool {
        guard let (end, _) = datePart(bytes) else { return false }
        return end == bytes.count
    }

    static func isDateTime(_ bytes: Bytes) -> Bool {
        guard let (end, precision) = datePart(bytes) else { return false }
        if end == bytes.count { return true }
        guard precision == 3, bytes[end] == UInt8(ascii: "T"), let timeEnd = timePart(bytes, end + 1) else {
            return false
        }
        return zonePart(bytes, timeEnd)
    }

    static func isInstant(_ bytes: Bytes) -> Bool {
        guard let (end, precision) = datePart(bytes), precision == 3, end < bytes.count,
              bytes[end] == UInt8(ascii: "T"), let timeEnd = timePart(bytes, end + 1)
        else { return false }
        return zonePart(bytes, timeEnd)
    }

    static func isTime(_ bytes: Bytes) -> Bool {
        timePart(bytes, 0) == bytes.count
    }

    /// `(\s*([0-9a-zA-Z\+/=]){4}\s*)+`, with `=` only as final padding.
    static func isBase64(_ bytes: Bytes) -> Bool {
        var count = 0
        var padding = 0
        for byte in bytes {
            if isSpace(byte) { continue }
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"):
                if padding > 0 { return false }
            case UInt8(ascii: "="):
                padding += 1
                if padding > 2 { return false }
            default:
                return false
            }
            count += 1
        }
        return count > 0 && count % 4 == 0
    }

    /// Narrative.div: an XHTML `div` element.
    static func isXHTML(_ bytes: Bytes) -> Bool {
        var start = 0
        while start < bytes.count, isSpace(bytes[start]) { start += 1 }
        let rest = Bytes(rebasing: bytes[start...])
        guard hasPrefix(rest, "<div"), rest.count > 4 else { return false }
        let next = rest[4]
        guard next == UInt8(ascii: ">") || next == UInt8(ascii: "/") || isSpace(next) else { return false }
        var end = bytes.count
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return bytes[end - 1] == UInt8(ascii: ">")
    }
}
