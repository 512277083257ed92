/// A strict JSON parser (RFC 8259) over raw bytes, written for untrusted bodies: it refuses
/// invalid UTF-8, duplicate keys, nesting past a limit, overlong numbers and strings, and
/// anything after the value, and says where. Foundation's parser accepts duplicate keys and
/// turns `1.50` into a Double, both of which FHIR forbids.
public struct JSONParser {
    public var limits: JSONLimits

    public init(limits: JSONLimits = .default) {
        self.limits = limits
    }

    public func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSON {
        let result: Result<JSON, JSONParseError>? = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONParseError) -> JSON in try parse(buffer: buffer) }
        }
        if let result { return try result.get() }
        let copy = Array(bytes)
        return try copy.withUnsafeBufferPointer { buffer throws(JSONParseError) in try parse(buffer: buffer) }
    }

    public func parse(_ text: String) throws(JSONParseError) -> JSON {
        try parse(Array(text.utf8))
    }

    private func parse(buffer: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSON {
        var reader = Reader(bytes: buffer, limits: limits)
        reader.skipWhitespace()
        if reader.atEnd { throw reader.error(.empty) }
        let value = try reader.parseValue(depth: 0)
        reader.skipWhitespace()
        if !reader.atEnd { throw reader.error(.trailingData) }
        return value
    }
}

private struct Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    let limits: JSONLimits
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>, limits: JSONLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    var atEnd: Bool { position >= bytes.count }

    func error(_ kind: JSONParseError.Kind, at offset: Int? = nil, key: String? = nil) -> JSONParseError {
        let offset = min(offset ?? position, bytes.count)
        var line = 1
        var lineStart = 0
        for index in 0..<offset where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        return JSONParseError(kind: kind, offset: offset, line: line, column: offset - lineStart + 1, key: key)
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(JSONParseError) -> JSON {
        guard position < bytes.count else { throw error(.truncated) }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error(bytes[position] >= 0x80 ? .invalidUTF8 : .unexpectedCharacter)
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        for index in 0..<count {
            guard position + index < bytes.count else { throw error(.truncated, at: bytes.count) }
            guard bytes[position + index] == literal.utf8Start[index] else {
                throw error(.unexpectedCharacter, at: position + index)
            }
        }
        position += count
    }

    mutating func parseObject(depth: Int) throws(JSONParseError) -> JSON {
        if depth > limits.maxDepth { throw error(.tooDeep) }
        position += 1
        var members: [JSONMember] = []
        skipWhitespace()
        guard position < bytes.count else { throw error(.truncated) }
        if bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(JSONObject(members))
        }
        while true {
            skipWhitespace()
            guard position < bytes.count else { throw error(.truncated) }
            guard bytes[position] == UInt8(ascii: "\"") else { throw error(.unexpectedCharacter) }
            let keyStart = position
            let key = try parseString()
            // Compared by code points: JSON names that merely look alike are different names.
            if members.contains(where: { $0.key.utf8.elementsEqual(key.utf8) }) {
                throw error(.duplicateKey, at: keyStart, key: String(key.prefix(64)))
            }
            skipWhitespace()
            guard position < bytes.count else { throw error(.truncated) }
            guard bytes[position] == UInt8(ascii: ":") else { throw error(.unexpectedCharacter) }
            position += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            members.append(JSONMember(key, value))
            skipWhitespace()
            guard position < bytes.count else { throw error(.truncated) }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"): position += 1; return .object(JSONObject(members))
            default: throw error(.unexpectedCharacter)
            }
        }
    }

    mutating func parseArray(depth: Int) throws(JSONParseError) -> JSON {
        if depth > limits.maxDepth { throw error(.tooDeep) }
        position += 1
        var elements: [JSON] = []
        skipWhitespace()
        guard position < bytes.count else { throw error(.truncated) }
        if bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard position < bytes.count else { throw error(.truncated) }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"): position += 1; return .array(elements)
            default: throw error(.unexpectedCharacter)
            }
        }
    }

    mutating func parseNumber() throws(JSONParseError) -> String {
        let start = position
        func digit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count else { throw error(.truncated) }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if position < bytes.count, digit(bytes[position]) { throw error(.invalidNumber, at: start) }
        } else if digit(bytes[position]) {
            while position < bytes.count, digit(bytes[position]) { position += 1 }
        } else {
            throw error(.invalidNumber)
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < bytes.count else { throw error(.truncated) }
            guard digit(bytes[position]) else { throw error(.invalidNumber) }
            while position < bytes.count, digit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count else { throw error(.truncated) }
            guard digit(bytes[position]) else { throw error(.invalidNumber) }
            while position < bytes.count, digit(bytes[position]) { position += 1 }
        }
        if position - start > limits.maxNumberLength { throw error(.numberTooLarge, at: start) }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    mutating func parseString() throws(JSONParseError) -> String {
        let start = position
        position += 1
        let contentStart = position
        var hasEscapes = false
        var hasNonASCII = false
        while true {
            guard position < bytes.count else { throw error(.truncated) }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                position += 2
                continue
            }
            if byte < 0x20 { throw error(.controlCharacterInString) }
            if byte >= 0x80 { hasNonASCII = true }
            position += 1
        }
        let contentEnd = position
        position += 1
        if contentEnd - contentStart > limits.maxStringBytes { throw error(.stringTooLong, at: start) }
        let raw = UnsafeBufferPointer(rebasing: bytes[contentStart..<contentEnd])
        if !hasEscapes {
            if hasNonASCII {
                guard let text = String(validating: raw, as: UTF8.self) else {
                    throw error(.invalidUTF8, at: contentStart)
                }
                return text
            }
            return String(decoding: raw, as: UTF8.self)
        }
        return try unescape(raw, offset: contentStart)
    }

    func unescape(_ raw: UnsafeBufferPointer<UInt8>, offset: Int) throws(JSONParseError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var index = 0
        func hex(_ at: Int) throws(JSONParseError) -> UInt32 {
            guard at + 4 <= raw.count else { throw error(.invalidEscape, at: offset + at) }
            var value: UInt32 = 0
            for byte in raw[at..<at + 4] {
                let nibble: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw error(.invalidEscape, at: offset + at)
                }
                value = value << 4 | nibble
            }
            return value
        }
        while index < raw.count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                index += 1
                continue
            }
            guard index + 1 < raw.count else { throw error(.invalidEscape, at: offset + index) }
            let escaped = raw[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex(index)
                index += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    guard index + 6 <= raw.count, raw[index] == UInt8(ascii: "\\"), raw[index + 1] == UInt8(ascii: "u")
                    else { throw error(.invalidEscape, at: offset + index) }
                    let low = try hex(index + 2)
                    guard (0xDC00...0xDFFF).contains(low) else { throw error(.invalidEscape, at: offset + index) }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw error(.invalidEscape, at: offset + index - 6)
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw error(.invalidEscape, at: offset + index) }
                out.append(contentsOf: UTF8.encode(unicode)!)
            default:
                throw error(.invalidEscape, at: offset + index - 2)
            }
        }
        guard let text = String(validating: out, as: UTF8.self) else { throw error(.invalidUTF8, at: offset) }
        return text
    }
}
