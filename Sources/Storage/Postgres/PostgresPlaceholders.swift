/// Turns the `?` placeholders that both engines' SQL is written with into PostgreSQL's `$1`,
/// `$2`, ... in order. A `?` inside a quoted string, a quoted identifier or a comment is left
/// alone (JoinedUp's SQL puts no client text there: values are always bound).
enum PostgresPlaceholders {
    /// With `casts`, placeholder n is written `$n::casts[n-1]` where that type is given.
    static func numbered(_ sql: String, casts: [String?] = []) -> (sql: String, count: Int) {
        guard sql.utf8.contains(UInt8(ascii: "?")) else { return (sql, 0) }
        var output: [UInt8] = []
        output.reserveCapacity(sql.utf8.count + 16)
        var count = 0
        var quote: UInt8?
        var lineComment = false
        var bytes = Array(sql.utf8)[...]
        while let byte = bytes.popFirst() {
            if lineComment {
                if byte == UInt8(ascii: "\n") { lineComment = false }
            } else if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                quote = byte
            } else if byte == UInt8(ascii: "-"), bytes.first == UInt8(ascii: "-") {
                lineComment = true
            } else if byte == UInt8(ascii: "?") {
                count += 1
                output.append(UInt8(ascii: "$"))
                output.append(contentsOf: String(count).utf8)
                if count <= casts.count, let cast = casts[count - 1] {
                    output.append(contentsOf: "::\(cast)".utf8)
                }
                continue
            }
            output.append(byte)
        }
        return (String(decoding: output, as: UTF8.self), count)
    }
}
