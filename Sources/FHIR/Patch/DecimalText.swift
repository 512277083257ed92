/// A JSON number reduced to sign, significant digits and exponent, so that numerically
/// equal literals (`1`, `1.0`, `10e-1`, `-0` and `0`) compare equal. The value is
/// `0.digits × 10^exponent`.
struct DecimalText: Equatable {
    var negative: Bool
    var digits: [UInt8]
    var exponent: Int

    /// Nil when `text` is not a JSON number, or its exponent is too large to hold.
    init?(_ text: String) {
        let bytes = Array(text.utf8)
        var index = 0
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        func digitRun() -> ArraySlice<UInt8> {
            let start = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            return bytes[start..<index]
        }
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let integer = digitRun()
        guard !integer.isEmpty else { return nil }
        var fraction: ArraySlice<UInt8> = []
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            fraction = digitRun()
            guard !fraction.isEmpty else { return nil }
        }
        var exponent = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var exponentNegative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            let run = digitRun().drop(while: { $0 == UInt8(ascii: "0") })
            if run.isEmpty {
                exponent = 0
            } else {
                guard run.count <= 15, let value = Int(String(decoding: run, as: UTF8.self)) else { return nil }
                exponent = exponentNegative ? -value : value
            }
        }
        guard index == bytes.count else { return nil }

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
