/// Small readers of JSON members for indexing: a member's text, without building
/// intermediate values.
extension JSONObject {
    /// The member `key` when it is a JSON string.
    @inline(__always)
    func indexString(_ key: String) -> String? {
        if case .string(let text)? = self[key] { return text }
        return nil
    }
}

extension JSON {
    /// A primitive's value as text: a string as it is, a number as its literal text, a
    /// boolean as `true`/`false`; nil for objects, arrays and null.
    var indexText: String? {
        switch self {
        case .string(let text): text
        case .number(let text): text
        case .bool(let flag): flag ? "true" : "false"
        default: nil
        }
    }

    /// A number's value (the literal text of a JSON number, or nil); nil when not finite.
    var indexNumber: Double? {
        guard case .number(let text) = self, let value = Double(text), value.isFinite else { return nil }
        return value
    }
}
