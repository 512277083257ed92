/// Gathers one parameter's entries into the resource's list: drops duplicates and stops at
/// `cap`. Duplicates are found by a linear scan while the parameter has few entries (nearly
/// always), and through a set once it has more, so a resource with thousands of values costs
/// linear time, not quadratic.
struct SearchEntryCollector {
    private(set) var entries: [SearchIndexEntry]
    private var start: Int
    private var cap: Int
    private var seen: Set<SearchIndexEntry>?
    /// When false, derived keys (`:text`, `:of-type`, `:identifier`) are not kept: composite
    /// components take only the values their parameter is searched by.
    private(set) var keepsDerived = true

    /// The R4 resource types, to tell a local reference `Type/id` from other text.
    let resourceTypes: Set<String>

    private static let linearLimit = 24

    init(resourceTypes: Set<String>, capacity: Int = 64) {
        self.resourceTypes = resourceTypes
        entries = []
        entries.reserveCapacity(capacity)
        start = 0
        cap = Int.max
    }

    /// Starts the next parameter's entries, at most `cap` of them.
    mutating func begin(cap: Int, keepsDerived: Bool = true) {
        start = entries.count
        self.cap = cap
        self.keepsDerived = keepsDerived
        seen = nil
    }

    /// True once the current parameter has `cap` entries; walkers stop there.
    var isFull: Bool { entries.count - start >= cap }

    var currentCount: Int { entries.count - start }

    mutating func add(_ key: String, _ value: SearchIndexValue) {
        guard !isFull else { return }
        let entry = SearchIndexEntry(key, value.capped)
        if seen != nil {
            guard seen!.insert(entry).inserted else { return }
        } else {
            var index = start
            while index < entries.count {
                if entries[index] == entry { return }
                index += 1
            }
            if entries.count - start >= Self.linearLimit {
                seen = Set(entries[start...])
                seen!.insert(entry)
            }
        }
        entries.append(entry)
    }

    /// Adds an entry under a derived key, unless derived keys are off.
    mutating func addDerived(_ key: String, _ value: SearchIndexValue) {
        guard keepsDerived else { return }
        add(key, value)
    }

    /// Removes and returns the current parameter's values (for composite components).
    mutating func takeValues() -> [SearchIndexValue] {
        let values = entries[start...].map(\.value)
        entries.removeSubrange(start...)
        seen = nil
        return values
    }
}
