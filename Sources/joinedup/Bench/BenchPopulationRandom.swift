import FHIR

/// The draws of the search benchmark's population: SplitMix64, one stream per person (and per
/// query class), so a person's record depends only on the seed and their number, never on how
/// many people were made before them or in all. The query files rely on that: they remake the
/// people they sample instead of reading the store.
struct BenchRandom {
    private var state: UInt64

    init(seed: UInt64, stream: UInt64) {
        state = seed &* 0x9E37_79B9_7F4A_7C15 ^ (stream &+ 1) &* 0xD1B5_4A32_D192_ED03
        _ = next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 0..<n.
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }

    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }

    /// [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    mutating func chance(_ probability: Double) -> Bool { unit() < probability }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// An index drawn in proportion to `weights`, given as running totals (see `cumulative`).
    mutating func weighted(_ totals: [Double]) -> Int {
        let target = unit() * (totals.last ?? 0)
        var low = 0
        var high = totals.count - 1
        while low < high {
            let middle = (low + high) / 2
            if totals[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }

    static func cumulative(_ weights: [Double]) -> [Double] {
        var total = 0.0
        return weights.map { total += $0; return total }
    }
}

/// Calendar days as integers (days since 1970-01-01) and their FHIR text, without Foundation's
/// formatters (H. Hinnant's civil-from-days).
enum BenchDay {
    /// Days since 1970-01-01 (the FHIR module's civil calendar, so both agree by construction).
    static func day(_ year: Int, _ month: Int, _ day: Int) -> Int {
        CivilTime.daysFromCivil(year: year, month: month, day: day)
    }

    static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let (year, month, day) = CivilTime.civil(fromDays: days)
        return (year, month, day)
    }

    /// `YYYY-MM-DD`.
    static func date(_ days: Int) -> String {
        let (year, month, day) = civil(days)
        return "\(year)-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// `YYYY-MM-DDThh:mm:00Z` for a minute counted from the start of day `days` (it may run
    /// into the following days).
    static func dateTime(_ days: Int, minute: Int) -> String {
        let day = days + minute / 1440
        let inDay = minute % 1440
        return "\(date(day))T\(pad(inDay / 60, 2)):\(pad(inDay % 60, 2)):00Z"
    }
}

/// `n` in decimal with leading zeros up to `width` digits.
func pad(_ n: Int, _ width: Int) -> String {
    let digits = String(n)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

/// A decimal with one digit after the point from a count of tenths, as FHIR JSON writes it.
func tenths(_ value: Int) -> JSON {
    .number("\(value / 10).\(value % 10)")
}
