/// The text a resource is found by in full-text search (R4 `_text` and `_content`):
/// `narrative` is its narrative (`text.div` without the XHTML markup), `content` every piece
/// of text in it, narrative included.
///
/// What counts as text: every JSON string except those that name or point rather than say:
/// ids, `meta`, references, systems and URLs (code systems, extensions), attachment `data`
/// (base64), and dates and times (the date parameters search those; as words they were a
/// third of all words, and every one of them a number). Codes stay (`final`, `73211009`),
/// since people search by them too. A string repeating the one before it (a coding's
/// display, then the concept's text) is taken once. Each part is cut at
/// `maximumCharacters`, so a hostile resource costs a bounded index row.
public struct FullText: Sendable, Hashable {
    public let narrative: String
    public let content: String

    public static let maximumCharacters = 65_536

    /// Members whose strings are not text to search.
    private static let skipped: Set<String> = ["resourceType", "id", "meta", "reference", "system", "url", "fullUrl",
                                               "data", "div", "contentType", "language"]

    /// The text of `resource`; nil when it holds none.
    public static func of(_ resource: JSONObject) -> FullText? {
        var narrative = ""
        if case .object(let text)? = resource["text"], case .string(let div)? = text["div"] {
            narrative = strippingMarkup(div)
        }
        var content = TextAccumulator(limit: maximumCharacters)
        content.add(narrative)
        collect(.object(resource), into: &content)
        guard !content.isEmpty else { return nil }
        return FullText(narrative: TextAccumulator.cut(narrative, to: maximumCharacters), content: content.text)
    }

    private static func collect(_ value: JSON, into text: inout TextAccumulator) {
        switch value {
        case .string(let string): if !isDateLike(string) { text.add(string) }
        case .object(let object):
            for member in object.members where !skipped.contains(member.key) {
                if text.isFull { return }
                // The narrative is in already (its status is not text).
                if member.key == "text", case .object(let narrative) = member.value, narrative["div"] != nil { continue }
                collect(member.value, into: &text)
            }
        case .array(let elements):
            for element in elements {
                if text.isFull { return }
                collect(element, into: &text)
            }
        default: return
        }
    }

    /// `2015-05`, `2015-05-29`, `2015-05-29T14:20:00.000+01:00`: a FHIR date (to the month or
    /// day), dateTime or instant, or anything shaped so. A year alone (`2015`) and codes such
    /// as LOINC's `8480-6` are not.
    public static func isDateLike(_ string: String) -> Bool {
        let bytes = Array(string.utf8.prefix(41))
        guard bytes.count >= 7, bytes.count <= 40 else { return false }
        func digit(_ index: Int) -> Bool { bytes[index] >= 0x30 && bytes[index] <= 0x39 }
        guard (0..<4).allSatisfy(digit), bytes[4] == 0x2D, digit(5), digit(6) else { return false }
        if bytes.count == 7 { return true }
        guard bytes.count >= 10, bytes[7] == 0x2D, digit(8), digit(9) else { return false }
        if bytes.count == 10 { return true }
        guard bytes[10] == 0x54 else { return false }
        return (11..<bytes.count).allSatisfy { digit($0) || "-:.+Z".utf8.contains(bytes[$0]) }
    }

    /// XHTML to its text: each tag becomes a space, and the character references XHTML
    /// narrative uses (`&amp;`, `&lt;`, `&#233;`, `&#xE9;`...) become their characters.
    public static func strippingMarkup(_ xhtml: String) -> String {
        var out = ""
        out.reserveCapacity(xhtml.utf8.count)
        var inTag = false
        var entity: String?
        for character in xhtml {
            if inTag {
                if character == ">" { inTag = false }
                continue
            }
            if var pending = entity {
                if character == ";" {
                    out += decode(pending) ?? "&\(pending);"
                    entity = nil
                } else if pending.count < 10, character.isLetter || character.isNumber || character == "#" {
                    pending.append(character)
                    entity = pending
                } else {
                    out += "&" + pending
                    entity = nil
                    if character == "<" { inTag = true; out += " " } else if character == "&" { entity = "" } else { out.append(character) }
                }
                continue
            }
            switch character {
            case "<":
                inTag = true
                out += " "
            case "&": entity = ""
            default: out.append(character)
            }
        }
        if let pending = entity { out += "&" + pending }
        return out
    }

    private static func decode(_ entity: String) -> String? {
        switch entity {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        case "nbsp": return " "
        default:
            guard entity.hasPrefix("#") else { return nil }
            let digits = entity.dropFirst()
            let number = digits.hasPrefix("x") || digits.hasPrefix("X") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            return number.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
        }
    }
}

/// Text joined by spaces up to a limit of characters.
private struct TextAccumulator {
    let limit: Int
    private(set) var text = ""
    private var count = 0
    private var last = ""

    init(limit: Int) { self.limit = limit }

    var isEmpty: Bool { text.isEmpty }
    var isFull: Bool { count >= limit }

    mutating func add(_ piece: String) {
        guard !isFull, piece != last, piece.contains(where: { !$0.isWhitespace }) else { return }
        last = piece
        if !text.isEmpty {
            text += " "
            count += 1
        }
        let room = limit - count
        let pieceCount = piece.count
        if pieceCount <= room {
            text += piece
            count += pieceCount
        } else {
            text += piece.prefix(room)
            count = limit
        }
    }

    static func cut(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit))
    }
}
