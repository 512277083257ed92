/// A date search value (`ge2020-01`): a prefix and the range the date stands for at its own
/// precision. Matching compares ranges, as R4 search 3.1.1.4.6 defines.
public struct DateSearchValue: Sendable, Hashable {
    public let prefix: SearchPrefix
    public let range: FHIRDateRange

    public init(prefix: SearchPrefix, range: FHIRDateRange) {
        self.prefix = prefix
        self.range = range
    }

    public static func parse(_ text: String) throws(SearchValueError) -> DateSearchValue {
        let (prefix, rest) = try SearchPrefix.split(text)
        guard let range = FHIRDateRange.parse(rest) else {
            throw SearchValueError("invalid date \(SearchValueError.quote(text)): expected a real date as YYYY, YYYY-MM, "
                + "YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss[.sss]] with an optional zone (Z or ±hh:mm), "
                + "optionally after a prefix (eq, ne, gt, lt, ge, le, sa, eb, ap)")
        }
        return DateSearchValue(prefix: prefix, range: range)
    }

    /// Whether a resource's date range `target` matches, per the R4 definitions (the search
    /// range is S, the target T): eq S contains T; ne not eq; gt T reaches past S's end; lt T
    /// starts before S; ge gt or eq; le lt or eq; sa T starts after S ends; eb T ends before S
    /// starts; ap T overlaps S widened by 10% of the gap between `now` and S (the spec's
    /// recommendation). The SQL of the query builder mirrors these conditions on (low, high).
    public func matches(_ target: FHIRDateRange, now: Int64) -> Bool {
        let contains = range.low <= target.low && target.high <= range.high
        switch prefix {
        case .eq: return contains
        case .ne: return !contains
        case .gt: return target.high > range.high
        case .lt: return target.low < range.low
        case .ge: return target.high > range.high || contains
        case .le: return target.low < range.low || contains
        case .sa: return target.low > range.high
        case .eb: return target.high < range.low
        case .ap:
            let margin = approximateMargin(now: now)
            let low = range.low.subtractingReportingOverflow(margin)
            let high = range.high.addingReportingOverflow(margin)
            let wideLow = low.overflow ? Int64.min : low.partialValue
            let wideHigh = high.overflow ? Int64.max : high.partialValue
            return target.low <= wideHigh && target.high >= wideLow
        }
    }

    /// 10% of the distance from `now` to the search range (zero when now falls inside it).
    public func approximateMargin(now: Int64) -> Int64 {
        let gap: Int64 = now < range.low ? range.low - now : (now > range.high ? now - range.high : 0)
        return gap / 10
    }
}
