import Foundation

/// The draws the simulation makes, written once so that every part draws the same way.
extension SeededGenerator {
    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// An integer in `low...high`.
    mutating func between(_ low: Int, _ high: Int) -> Int {
        high <= low ? low : low + Int(next() % UInt64(high - low + 1))
    }

    /// An integer in a `[lowest, highest]` parameter range.
    mutating func between(_ range: [Int]) -> Int { between(range[0], range[1]) }

    /// A Poisson count with mean `mean` (Knuth's method: the means here are small).
    mutating func poisson(_ mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        if mean > 30 { return max(0, Int((mean + mean.squareRoot() * normal()).rounded())) }
        let limit = exp(-mean)
        var product = unit()
        var count = 0
        while product > limit {
            count += 1
            product *= unit()
        }
        return count
    }

    /// A standard normal draw (Box-Muller).
    mutating func normal() -> Double {
        let u = max(unit(), 1e-300)
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * unit())
    }

    /// Whole days with the given mean, skewed like lengths of stay (exponential, rounded).
    mutating func days(mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        return Int((-mean * log(1 - unit())).rounded())
    }

    /// The index of a weighted code.
    mutating func weighted(_ codes: [WeightedCode]) -> Int { weighted(codes.map(\.weight)) }
}
