import NIOCore

/// Rows as the data of `COPY ... FROM STDIN (FORMAT text)`: one line a row, values separated
/// by tabs, `\N` for null. The text format is the one PostgresNIO speaks; each value is
/// written as PostgreSQL's input function for its column reads it, with the four characters
/// that COPY gives a meaning (backslash, tab, newline, carriage return) escaped, so no value
/// can end its field or its row early.
enum PostgresCopyText {
    static func append(_ row: [SQLValue], to buffer: inout ByteBuffer) {
        for (index, value) in row.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
            append(value, to: &buffer)
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    private static func append(_ value: SQLValue, to buffer: inout ByteBuffer) {
        switch value {
        case .null:
            buffer.writeStaticString("\\N")
        case .integer(let value):
            buffer.writeString(String(value))
        case .real(let value):
            // Swift's shortest round-tripping form; PostgreSQL reads `1e-05`, `inf` and `nan`.
            buffer.writeString(value.description)
        case .text(let value):
            appendEscaped(value.utf8, to: &buffer)
        case .blob(let value):
            // bytea's hex input, `\x0a1b...`, its backslash escaped for COPY.
            buffer.writeStaticString("\\\\x")
            // Bodies are most of a load's bytes: written straight into the buffer, not a byte
            // at a time through its checks.
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: value.count * 2) { out in
                let digits = hexDigits.utf8Start
                var at = 0
                for byte in value {
                    out[at] = digits[Int(byte >> 4)]
                    out[at + 1] = digits[Int(byte & 0x0F)]
                    at += 2
                }
                return at
            }
        }
    }

    private static func appendEscaped(_ text: String.UTF8View, to buffer: inout ByteBuffer) {
        // Most values need no escape: write them whole.
        guard text.contains(where: { $0 == backslash || $0 == tab || $0 == newline || $0 == carriageReturn }) else {
            buffer.writeBytes(text)
            return
        }
        for byte in text {
            switch byte {
            case backslash: buffer.writeStaticString("\\\\")
            case tab: buffer.writeStaticString("\\t")
            case newline: buffer.writeStaticString("\\n")
            case carriageReturn: buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }

    private static let backslash = UInt8(ascii: "\\")
    private static let tab = UInt8(ascii: "\t")
    private static let newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let hexDigits: StaticString = "0123456789abcdef"
}
