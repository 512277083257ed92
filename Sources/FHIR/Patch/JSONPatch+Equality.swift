/// Equality for the `test` operation, which is not `JSON`'s own `==`.
extension JSONPatch {
    /// JSON equality as RFC 6902 section 4.6 defines it: numbers by numeric value (`1`,
    /// `1.0` and `1e0` are equal, compared exactly on the decimal text, never through a
    /// Double), strings by code points, arrays element by element, objects by their members
    /// whatever their order.
    static func valuesEqual(_ a: JSON, _ b: JSON) -> Bool {
        switch (a, b) {
        case (.null, .null):
            return true
        case (.bool(let x), .bool(let y)):
            return x == y
        case (.number(let x), .number(let y)):
            return numbersEqual(x, y)
        case (.string(let x), .string(let y)):
            return x.utf8.elementsEqual(y.utf8)
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { valuesEqual($0, $1) }
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            return x.members.allSatisfy { member in
                guard let other = y.members.first(where: { JSONPointer.sameName($0.key, member.key) }) else {
                    return false
                }
                return valuesEqual(member.value, other.value)
            }
        default:
            return false
        }
    }

    static func numbersEqual(_ x: String, _ y: String) -> Bool {
        if x == y { return true }
        guard let a = DecimalText(x), let b = DecimalText(y) else { return false }
        return a == b
    }
}
