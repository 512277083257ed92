/// A JSON number reduced to sign, significant digits and exponent, so that numerically
/// equal literals (`1`, `1.0`, `10e-1`, `-0` and `0`) compare equal. The value is
/// `0.digits × 10^exponent`.
struct DecimalText: Equatable {
    var negative: Bool
    var digits: [UInt8]
    var exponent: Int

    /// Nil when `text` is not a JSON number, or its exponent is too large to hold.
    init?(_ text: String) {
        guard let literal = DecimalLiteral(text) else { return nil }
        let (negative, integer, fraction) = (literal.negative, literal.integer, literal.fraction)
        var exponent = 0
        let run = literal.exponentDigits.drop(while: { $0 == UInt8(ascii: "0") })
        if !run.isEmpty {
            guard run.count <= 15, let value = Int(String(decoding: run, as: UTF8.self)) else { return nil }
            exponent = literal.exponentNegative ? -value : value
        }

        var all = Array(integer) + Array(fraction)
        var pointPosition = integer.count
        let leadingZeros = all.prefix(while: { $0 == UInt8(ascii: "0") }).count
        all.removeFirst(leadingZeros)
        pointPosition -= leadingZeros
        while all.last == UInt8(ascii: "0") { all.removeLast() }
        if all.isEmpty {
            self.negative = false
            self.digits = []
            self.exponent = 0
        } else {
            self.negative = negative
            self.digits = all
            self.exponent = pointPosition + exponent
        }
    }
}
