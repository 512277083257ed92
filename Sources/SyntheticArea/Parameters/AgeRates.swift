/// A figure that varies with age, as bands (`[{"from": 65, "to": 74, "value": 0.15}, ...]`).
/// An age in no band gets 0, so a table can leave out the ages it does not apply to.
public struct AgeRates: Codable, Sendable, Hashable {
    public struct Band: Codable, Sendable, Hashable {
        public var from: Int
        public var to: Int
        public var value: Double
    }

    public var bands: [Band]

    public init(_ bands: [Band]) { self.bands = bands }

    public init(from decoder: Decoder) throws {
        bands = try decoder.singleValueContainer().decode([Band].self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(bands)
    }

    public func value(at age: Int) -> Double {
        for band in bands where band.from <= age && age <= band.to { return band.value }
        return 0
    }

    /// Problems with the table, each named by `path`.
    func problems(_ path: String, max: Double? = nil) -> [String] {
        var problems: [String] = []
        for (index, band) in bands.enumerated() {
            if band.from > band.to || band.from < 0 { problems.append("\(path)[\(index)]: from must be 0 or more and at most to") }
            if band.value < 0 || (max.map { band.value > $0 } ?? false) {
                problems.append("\(path)[\(index)].value must be between 0 and \(max.map { "\($0)" } ?? "any")")
            }
        }
        return problems
    }
}

/// A code with its display and a relative weight, for drawing one of several outcomes.
public struct WeightedCode: Codable, Sendable, Hashable {
    public var code: String
    public var display: String
    public var weight: Double
}

/// Checks a share lies between 0 and 1, naming it when it does not.
func shareProblem(_ path: String, _ value: Double) -> [String] {
    (0...1).contains(value) ? [] : ["\(path) must be between 0 and 1"]
}

/// Checks a [lowest, highest] range.
func rangeProblem(_ path: String, _ range: [Int]) -> [String] {
    range.count == 2 && range[0] <= range[1] && range[0] >= 0 ? [] : ["\(path) must be [lowest, highest]"]
}

func weightProblem(_ path: String, _ codes: [WeightedCode]) -> [String] {
    codes.isEmpty || codes.contains { $0.weight < 0 } || codes.allSatisfy({ $0.weight == 0 })
        ? ["\(path) must list codes with non-negative weights, not all zero"] : []
}
