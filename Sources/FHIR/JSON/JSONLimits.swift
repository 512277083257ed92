/// Bounds that keep a hostile body from costing more than it is worth. The defaults are far
/// above anything a real FHIR resource needs (the deepest R4 structures nest under 20 levels).
public struct JSONLimits: Sendable, Hashable {
    /// Deepest nesting of arrays and objects accepted.
    public var maxDepth: Int
    /// Longest number literal accepted, in characters; longer ones are refused as too large
    /// to mean anything (FHIR decimals hold at most 18 significant digits).
    public var maxNumberLength: Int
    /// Longest string accepted, in bytes.
    public var maxStringBytes: Int

    public init(maxDepth: Int = 64, maxNumberLength: Int = 40, maxStringBytes: Int = 64 << 20) {
        self.maxDepth = maxDepth
        self.maxNumberLength = maxNumberLength
        self.maxStringBytes = maxStringBytes
    }

    public static let `default` = JSONLimits()
}
