import FHIR

/// Hands out distinct valid NHS numbers in the 999 range (never issued to real people), in
/// an order that looks random but is fixed by the seed. The range holds 10^6 candidates of
/// which about 909,000 pass the modulus 11 check; past that there are none to give.
struct NHSNumberSequence {
    private let stride: Int
    private let offset: Int
    private var cursor = 0

    init(generator: inout SeededGenerator) {
        // A stride coprime with 10^6 visits every candidate exactly once.
        let strides = [7919, 104_729, 15_485_863, 32_452_843, 49_979_687]
        stride = generator.pick(strides)
        offset = Int(generator.next() % 1_000_000)
    }

    /// The next number, or nil when the range is used up.
    mutating func next() -> String? {
        while cursor < 1_000_000 {
            let candidate = (offset + cursor * stride) % 1_000_000
            cursor += 1
            let digits = "999" + String(repeating: "0", count: 6 - String(candidate).count) + String(candidate)
            let sum = digits.enumerated().reduce(0) { $0 + Int(String($1.element))! * (10 - $1.offset) }
            let check = (11 - sum % 11) % 11
            if check != 10, let number = NHSNumber(digits + String(check)) { return number.value }
        }
        return nil
    }
}
