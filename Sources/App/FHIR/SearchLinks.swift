import CareRecord

/// The self and next links of a searchset: the parameters as the server understood them
/// (ignored ones left out, so the self link says what was really searched), percent-encoded,
/// and for the next page the opaque `_cursor`.
struct SearchLinks {
    let origin: String
    let path: String
    let applied: [QueryParameter]

    func url(cursor: String? = nil) -> String {
        var pairs = applied.map { "\(Self.encode($0.name))=\(Self.encode($0.value))" }
        if let cursor { pairs.append("_cursor=\(cursor)") }
        return "\(origin)\(path)" + (pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&"))
    }

    /// Percent-encodes everything but unreserved characters and the few FHIR search uses
    /// literally (`:` `,` `|` `/` `$`).
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: ":"),
                 UInt8(ascii: ","), UInt8(ascii: "/"), UInt8(ascii: "$"):
                out.append(Character(UnicodeScalar(byte)))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%\(hex[Int(byte >> 4)])\(hex[Int(byte & 15)])"
            }
        }
        return out
    }
}
