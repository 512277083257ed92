/// Why a body is not acceptable JSON, and where: the byte offset, line and column of the
/// fault. It never quotes the body, which may hold health data.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case empty = "the body is empty"
        case truncated = "the JSON ends before it is complete"
        case unexpectedCharacter = "unexpected character"
        case invalidUTF8 = "the text is not valid UTF-8"
        case invalidEscape = "invalid escape sequence in a string"
        case controlCharacterInString = "unescaped control character in a string"
        case invalidNumber = "invalid number"
        case numberTooLarge = "number too large"
        case stringTooLong = "string too long"
        case tooDeep = "nesting too deep"
        case duplicateKey = "duplicate key in an object"
        case trailingData = "data after the end of the JSON value"
    }

    public var kind: Kind
    public var offset: Int
    public var line: Int
    public var column: Int
    /// For duplicate keys: the key (a FHIR element name, never a value).
    public var key: String?

    public var description: String {
        var text = "\(kind.rawValue) at line \(line), column \(column)"
        if let key { text += " (key '\(key)')" }
        return text
    }
}
