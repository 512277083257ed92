/// The parts of a decimal literal in JSON's (and FHIR's) form
/// `-?digits(.digits)?([eE][+-]?digits)?`, scanned once for every reader of numbers as text
/// (`DecimalText` for patch equality, `ParsedDecimal` for search precision ranges), each of
/// which applies its own limits to the exponent.
struct DecimalLiteral {
    let negative: Bool
    let integer: ArraySlice<UInt8>
    /// Empty when there is no point.
    let fraction: ArraySlice<UInt8>
    let exponentNegative: Bool
    /// Empty when there is no exponent.
    let exponentDigits: ArraySlice<UInt8>

    /// Nil unless the whole of `text` is one literal.
    init?(_ text: String) {
        let bytes = Array(text.utf8)
        var index = 0
        func digitRun() -> ArraySlice<UInt8> {
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            return bytes[start..<index]
        }
        negative = index < bytes.count && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        integer = digitRun()
        guard !integer.isEmpty else { return nil }
        var fraction: ArraySlice<UInt8> = []
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            fraction = digitRun()
            guard !fraction.isEmpty else { return nil }
        }
        self.fraction = fraction
        var exponentNegative = false
        var exponentDigits: ArraySlice<UInt8> = []
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            exponentDigits = digitRun()
            guard !exponentDigits.isEmpty else { return nil }
        }
        self.exponentNegative = exponentNegative
        self.exponentDigits = exponentDigits
        guard index == bytes.count else { return nil }
    }
}
