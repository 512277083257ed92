/// Parameters whose values are, by their paths, exactly those of another parameter of the
/// same type (Observation `patient` is `subject` limited to patients) or the union of two
/// (`combo-code` is `code` and `component-code`). The index stores only the canonical
/// parameters; a search on an alias reads theirs. This cuts the rows written per resource by
/// about a third for observations, which write cost depends on.
struct SearchAliases {
    /// alias code -> canonical codes, per resource type.
    let byType: [String: [String: [String]]]

    init(_ parameters: [String: [String: SearchParameter]]) {
        var byType: [String: [String: [String]]] = [:]
        for (type, byCode) in parameters {
            let aliases = Self.aliases(Array(byCode.values))
            if !aliases.isEmpty { byType[type] = aliases }
        }
        self.byType = byType
    }

    private static func aliases(_ parameters: [SearchParameter]) -> [String: [String]] {
        let candidates = parameters.filter { !$0.paths.isEmpty && $0.type != .special && !$0.code.hasPrefix("_") }
            .sorted { $0.code < $1.code }
        var result: [String: [String]] = [:]
        // Identical paths: canonical is the parameter whose paths keep every target type (an
        // alias may narrow them, never the canonical), then the widest targets, then the first
        // code; the others read it.
        for parameter in candidates {
            let same = candidates.filter { $0.code != parameter.code && alike($0, parameter) && keys($0) == keys(parameter) }
            guard !same.isEmpty else { continue }
            let group = same + [parameter]
            let canonical = group.min { a, b in
                if limited(a) != limited(b) { return limited(a) < limited(b) }
                return a.targets.count != b.targets.count ? a.targets.count > b.targets.count : a.code < b.code
            }!
            if canonical.code != parameter.code, limited(canonical) == 0 || canonical.paths == parameter.paths,
               Set(parameter.targets).isSubset(of: Set(canonical.targets)) {
                result[parameter.code] = [canonical.code]
            }
        }
        // The union of two canonical parameters with disjoint paths, none of them narrowing
        // target types.
        for parameter in candidates where result[parameter.code] == nil && limited(parameter) == 0 {
            let whole = keys(parameter)
            let parts = candidates.filter {
                $0.code != parameter.code && result[$0.code] == nil && limited($0) == 0 && alike($0, parameter)
                    && keys($0).isStrictSubset(of: whole)
            }
            search: for (index, first) in parts.enumerated() {
                for second in parts[(index + 1)...] where keys(first).isDisjoint(with: keys(second))
                    && keys(first).union(keys(second)) == whole {
                    result[parameter.code] = [first.code, second.code]
                    break search
                }
            }
        }
        return result
    }

    /// How many of the parameter's paths keep only some target types.
    private static func limited(_ parameter: SearchParameter) -> Int {
        parameter.paths.filter { $0.targetTypes != nil }.count
    }

    /// Same parameter type, and for composites the same components by type and path.
    private static func alike(_ a: SearchParameter, _ b: SearchParameter) -> Bool {
        guard a.type == b.type else { return false }
        guard a.type == .composite else { return true }
        return a.components.map { "\($0.type)|\($0.paths.map(key))" } == b.components.map { "\($0.type)|\($0.paths.map(key))" }
    }

    /// The paths as comparable text, target type limits left out (they narrow what a search
    /// on the alias accepts, not where its values are).
    private static func keys(_ parameter: SearchParameter) -> Set<String> {
        Set(parameter.paths.map(key))
    }

    private static func key(_ path: SearchPath) -> String {
        path.steps.map { step in step.member + (step.filter.map { "[\($0.member)=\($0.value)]" } ?? "") }
            .joined(separator: ".") + ":" + path.valueType
    }
}
