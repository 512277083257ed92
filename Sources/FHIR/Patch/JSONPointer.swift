/// An RFC 6901 JSON Pointer, such as `/name/0/given`: a list of reference tokens, each an
/// object member name or an array index. The empty pointer refers to the whole document.
/// In the text form `~` is written `~0` and `/` is written `~1`.
///
/// Tokens are matched against member names by Unicode code points (RFC 6901 section 4), not
/// by Swift's canonical-equivalence `String` comparison.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    /// The unescaped reference tokens, outermost first.
    public let tokens: [String]

    public init(tokens: [String]) {
        self.tokens = tokens
    }

    /// Parses the text form. A non-empty pointer must start with `/`, and every `~` must be
    /// followed by `0` or `1`.
    public init(_ text: String) throws(JSONPointerError) {
        let bytes = Array(text.utf8)
        if bytes.isEmpty {
            tokens = []
            return
        }
        guard bytes[0] == UInt8(ascii: "/") else {
            throw JSONPointerError(kind: .missingLeadingSlash, offset: 0)
        }
        var tokens: [String] = []
        var current: [UInt8] = []
        var index = 1
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "/"):
                tokens.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
                index += 1
            case UInt8(ascii: "~"):
                guard index + 1 < bytes.count else { throw JSONPointerError(kind: .invalidEscape, offset: index) }
                switch bytes[index + 1] {
                case UInt8(ascii: "0"): current.append(UInt8(ascii: "~"))
                case UInt8(ascii: "1"): current.append(UInt8(ascii: "/"))
                default: throw JSONPointerError(kind: .invalidEscape, offset: index)
                }
                index += 2
            default:
                current.append(byte)
                index += 1
            }
        }
        // Splitting only at ASCII bytes keeps every token valid UTF-8.
        tokens.append(String(decoding: current, as: UTF8.self))
        self.tokens = tokens
    }

    /// The empty pointer, which refers to the whole document.
    public static let root = JSONPointer(tokens: [])

    public var isRoot: Bool { tokens.isEmpty }

    /// The pointer to the container of this location; nil for the root.
    public var parent: JSONPointer? {
        isRoot ? nil : JSONPointer(tokens: Array(tokens.dropLast()))
    }

    /// True when `other` lies strictly inside this location (`/a` is a proper prefix of
    /// `/a/b`, but not of `/a` or `/ab`). Tokens compare by code points.
    public func isProperPrefix(of other: JSONPointer) -> Bool {
        guard tokens.count < other.tokens.count else { return false }
        return zip(tokens, other.tokens).allSatisfy { JSONPointer.sameName($0, $1) }
    }

    /// The value this pointer refers to in `document`, or nil when there is none.
    public func resolve(in document: JSON) -> JSON? {
        var current = document
        for token in tokens {
            switch current {
            case .object(let object):
                guard let member = object.members.first(where: { JSONPointer.sameName($0.key, token) }) else {
                    return nil
                }
                current = member.value
            case .array(let array):
                guard case .index(let index)? = JSONPointer.arrayIndex(token), index < array.count else { return nil }
                current = array[index]
            default:
                return nil
            }
        }
        return current
    }

    /// The text form, escaped again; parsing it gives back the same tokens.
    public var description: String {
        var out: [UInt8] = []
        for token in tokens {
            out.append(UInt8(ascii: "/"))
            for byte in token.utf8 {
                switch byte {
                case UInt8(ascii: "~"): out.append(contentsOf: [UInt8(ascii: "~"), UInt8(ascii: "0")])
                case UInt8(ascii: "/"): out.append(contentsOf: [UInt8(ascii: "~"), UInt8(ascii: "1")])
                default: out.append(byte)
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// What a token means when the value it is applied to is an array.
    public enum ArrayIndex: Sendable, Hashable {
        /// A position. Digit strings too long for `Int` become `Int.max`, which is past the
        /// end of any array.
        case index(Int)
        /// `-`: the (nonexistent) element after the last one, only meaningful for `add`.
        case end
    }

    /// Reads a token as an array index: `0`, or digits without a leading zero, or `-`.
    /// Anything else (`01`, `+1`, `1.0`, `x`, the empty token) gives nil.
    public static func arrayIndex(_ token: String) -> ArrayIndex? {
        let bytes = token.utf8
        guard let first = bytes.first else { return nil }
        if bytes.count == 1, first == UInt8(ascii: "-") { return .end }
        guard bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        if first == UInt8(ascii: "0") && bytes.count > 1 { return nil }
        return .index(Int(token) ?? Int.max)
    }

    /// Member names and tokens are equal when their code points are (RFC 6901 section 4).
    static func sameName(_ a: String, _ b: String) -> Bool {
        a.utf8.elementsEqual(b.utf8)
    }
}

/// Why a string is not a JSON Pointer. The offset is in UTF-8 bytes from the start of the
/// pointer; the pointer text itself is not repeated.
public struct JSONPointerError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case missingLeadingSlash = "a JSON Pointer must be empty or start with '/'"
        case invalidEscape = "'~' in a JSON Pointer must be followed by '0' or '1'"
    }

    public var kind: Kind
    public var offset: Int

    public init(kind: Kind, offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    public var description: String {
        "\(kind.rawValue) (at offset \(offset))"
    }
}
