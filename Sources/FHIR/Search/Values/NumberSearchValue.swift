/// A number search value (`ge5.4`, `100`, `1e2`). The text's precision is part of the value:
/// R4 search 3.1.1.4.1 says `100` means [99.5, 100.5) and `100.00` means [99.995, 100.005),
/// so `low` and `high` are the implicit range for eq/ne, and `value` the exact number for the
/// ordering prefixes. With an exponent the precision is the mantissa's: `1e2` is one
/// significant figure, [50, 150). (The R4 page's table shows [95, 105) for `1e2`, which does
/// not follow its own rule; we follow the rule.)
public struct NumberSearchValue: Sendable, Hashable {
    public let prefix: SearchPrefix
    /// The number as written (without the prefix), kept for exact decimal comparison.
    public let text: String
    public let value: Double
    /// Inclusive lower end of the implicit range.
    public let low: Double
    /// Exclusive upper end of the implicit range.
    public let high: Double

    public init(prefix: SearchPrefix, text: String, value: Double, low: Double, high: Double) {
        self.prefix = prefix
        self.text = text
        self.value = value
        self.low = low
        self.high = high
    }

    public static func parse(_ text: String) throws(SearchValueError) -> NumberSearchValue {
        let (prefix, rest) = try SearchPrefix.split(text)
        guard let decimal = ParsedDecimal(rest) else {
            throw SearchValueError("invalid number \(SearchValueError.quote(text)): expected a decimal such as 100, "
                + "-0.5 or 1.2e3, optionally after a prefix (eq, ne, gt, lt, ge, le, sa, eb, ap)")
        }
        return NumberSearchValue(prefix: prefix, text: rest, value: decimal.value, low: decimal.low, high: decimal.high)
    }

    /// Whether a resource's number matches: eq/ne against the implicit range [low, high);
    /// gt, lt, ge, le, sa (after = greater) and eb (before = less) against the exact value;
    /// ap within 10% of the value (the spec's recommendation) or within the implicit range.
    public func matches(_ target: Double) -> Bool {
        switch prefix {
        case .eq: low <= target && target < high
        case .ne: !(low <= target && target < high)
        case .gt, .sa: target > value
        case .lt, .eb: target < value
        case .ge: target >= value
        case .le: target <= value
        case .ap: abs(target - value) <= abs(value) / 10 || (low <= target && target < high)
        }
    }
}

/// A decimal in FHIR's form `-?digits(.digits)?([eE][+-]?digits)?` (leading zeros allowed),
/// with the bounds of its implicit precision range computed from the digits as text, so that
/// `99.995` is the double nearest 99.995 and not 100 - 0.005.
struct ParsedDecimal {
    let value: Double
    let low: Double
    let high: Double

    init?(_ text: String) {
        guard let literal = DecimalLiteral(text), literal.exponentDigits.count <= 4 else { return nil }
        let (negative, integer, fraction) = (literal.negative, literal.integer, literal.fraction)
        var exponent = literal.exponentDigits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        if literal.exponentNegative { exponent = -exponent }
        guard let value = Double(text), value.isFinite else { return nil }
        // value = mantissa × 10^scaleExponent, with mantissa the digits without the point;
        // the half-unit of the last digit is 5 × 10^(scaleExponent - 1).
        let mantissa = String(decoding: Array(integer) + Array(fraction), as: UTF8.self)
        let scaleExponent = exponent - fraction.count
        guard let lowText = Self.shifted(mantissa, by: negative ? 5 : -5),
              let highText = Self.shifted(mantissa, by: negative ? -5 : 5),
              let lowBound = Double("\(lowText)e\(scaleExponent - 1)"),
              let highBound = Double("\(highText)e\(scaleExponent - 1)")
        else { return nil }
        self.value = value
        if negative {
            // -m: range [-(m + half), -(m - half)).
            self.low = -lowBound
            self.high = -highBound
        } else {
            self.low = lowBound
            self.high = highBound
        }
        guard low.isFinite, high.isFinite else { return nil }
    }

    /// The decimal digits `mantissa` followed by a zero, plus `delta` (±5): a bound in units
    /// of a tenth of the last digit. A zero mantissa minus 5 is "-5".
    static func shifted(_ mantissa: String, by delta: Int) -> String? {
        // Decimal string arithmetic on the digits, so long mantissas stay exact.
        var digits = Array((mantissa + "0").utf8).map { Int($0) - 0x30 }
        if delta > 0 {
            var carry = delta
            var position = digits.count - 1
            while carry > 0 {
                if position < 0 {
                    digits.insert(carry, at: 0)
                    break
                }
                let sum = digits[position] + carry
                digits[position] = sum % 10
                carry = sum / 10
                position -= 1
            }
        } else {
            // Subtract |delta| (5) from a number ending in 0.
            if digits.allSatisfy({ $0 == 0 }) { return "-5" }
            var borrow = -delta
            var position = digits.count - 1
            while borrow > 0, position >= 0 {
                let difference = digits[position] - borrow
                if difference < 0 {
                    digits[position] = difference + 10
                    borrow = 1
                } else {
                    digits[position] = difference
                    borrow = 0
                }
                position -= 1
            }
        }
        return String(decoding: digits.map { UInt8($0 + 0x30) }, as: UTF8.self)
    }
}
