/// Date entries (R4 search 3.1.1.4.6): every time is the inclusive range of milliseconds it
/// stands for at its own precision. A Period runs from its start's low to its end's high, an
/// open end being the far past or future; a Timing gives each event and its bounds period.
/// Values that do not parse are skipped.
extension SearchEntryCollector {
    mutating func addDates(_ value: JSON, shape: IndexedShape, key: String) {
        switch shape {
        case .primitive(.date), .primitive(.dateTime), .primitive(.instant):
            guard case .string(let text) = value, let range = FHIRDateRange.parse(text) else { return }
            add(key, .date(low: range.low, high: range.high))
        case .period:
            guard case .object(let period) = value else { return }
            addPeriod(period, key: key)
        case .timing:
            guard case .object(let timing) = value else { return }
            if case .array(let events)? = timing["event"] {
                for case .string(let text) in events {
                    if let range = FHIRDateRange.parse(text) { add(key, .date(low: range.low, high: range.high)) }
                }
            }
            if case .object(let repeats)? = timing["repeat"], case .object(let bounds)? = repeats["boundsPeriod"] {
                addPeriod(bounds, key: key)
            }
        default:
            return
        }
    }

    /// A Period as one range; nothing when it has neither end or an end does not parse.
    private mutating func addPeriod(_ period: JSONObject, key: String) {
        let start = period.indexString("start")
        let end = period.indexString("end")
        guard start != nil || end != nil else { return }
        var low = Int64.min
        var high = Int64.max
        if let start {
            guard let range = FHIRDateRange.parse(start) else { return }
            low = range.low
        }
        if let end {
            guard let range = FHIRDateRange.parse(end) else { return }
            high = range.high
        }
        add(key, .date(low: low, high: high))
    }
}
