/// Composite entries (R4 search 3.1.1.5.9): for each element a composite's paths reach, its
/// components' values are taken from that same element, and every combination becomes one
/// entry: `.composite(first, second)`, values only (no parameter names, no derived keys). The
/// few R4 composites with three components (MolecularSequence coordinates) nest to the right:
/// `.composite(first, .composite(second, third))`.
extension SearchEntryCollector {
    mutating func addComposites(of plan: IndexPlan, in root: JSON) {
        for composite in plan.composites where composite.components.count >= 2 {
            let more = SearchPathWalker.walk(root, composite.path.steps, from: 0) { element in
                addComposite(element, components: composite.components, key: plan.code)
                return !isFull
            }
            if !more { return }
        }
    }

    private mutating func addComposite(_ element: JSON, components: [ComponentPlan], key: String) {
        let cap = SearchIndexer.maximumEntriesPerParameter
        var scratch = SearchEntryCollector(resourceTypes: resourceTypes, capacity: 4)
        var combinations: [SearchIndexValue] = []
        for component in components.reversed() {
            scratch.begin(cap: cap, keepsDerived: false)
            let keys = component.keys
            for path in component.paths {
                let more = SearchPathWalker.walk(element, path.steps, from: 0) { value in
                    scratch.add(value, as: component.type, path: path, keys: keys)
                    return !scratch.isFull
                }
                if !more { break }
            }
            let values = scratch.takeValues()
            if values.isEmpty { return }
            if combinations.isEmpty {
                combinations = values
                continue
            }
            var joined: [SearchIndexValue] = []
            joined.reserveCapacity(min(cap, values.count * combinations.count))
            product: for value in values {
                for rest in combinations {
                    if joined.count >= cap { break product }
                    joined.append(.composite(value, rest))
                }
            }
            combinations = joined
        }
        for combination in combinations {
            add(key, combination)
            if isFull { return }
        }
    }
}
