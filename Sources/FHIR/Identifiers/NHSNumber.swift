/// An NHS number: ten digits whose last is a modulus 11 check digit over the first nine
/// (weights 10 down to 2; check = 11 - sum mod 11, 11 becomes 0, 10 is never valid).
/// Numbers made of one repeated digit (0000000000, ...) pass the sum but are not issued,
/// so they are refused too. Only the bare ten digits are accepted: no spaces or dashes.
public struct NHSNumber: Sendable, Hashable, CustomStringConvertible {
    /// The FHIR identifier system of NHS numbers.
    public static let system = "https://fhir.nhs.uk/Id/nhs-number"

    /// The ten digits.
    public let value: String

    /// Nil unless `string` is a valid NHS number.
    public init?(_ string: String) {
        guard Self.isValid(string) else { return nil }
        value = string
    }

    public var description: String { value }

    /// Whether `string` is exactly ten ASCII digits, passes the modulus 11 check and is not
    /// one digit repeated.
    public static func isValid(_ string: String) -> Bool {
        var digits = [Int](repeating: 0, count: 10)
        var count = 0
        for byte in string.utf8 {
            guard count < 10, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return false }
            digits[count] = Int(byte - UInt8(ascii: "0"))
            count += 1
        }
        guard count == 10 else { return false }
        if digits.allSatisfy({ $0 == digits[0] }) { return false }
        var sum = 0
        for index in 0..<9 { sum += digits[index] * (10 - index) }
        var check = 11 - sum % 11
        if check == 11 { check = 0 }
        if check == 10 { return false }
        return check == digits[9]
    }
}
