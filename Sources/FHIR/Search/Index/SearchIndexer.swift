/// Computes a resource's search index entries from its JSON when it is written (R4 search,
/// https://hl7.org/fhir/R4/search.html): each parameter's paths are walked through the
/// resource and every value reached becomes entries by the parameter's type and the FHIR
/// type of the value (see `SearchEntryCollector+Tokens`, `+Strings`, `+Dates`,
/// `+References`, `+Quantities`, `+Composites`).
///
/// The parameters of every resource type are compiled once, at init (`IndexPlan`: member
/// steps, the shape reached as an enum, the code system of each bound code), so indexing a
/// resource is one dictionary lookup for its type and then walks over its JSON, without
/// Foundation. Make one indexer and keep it: building it costs milliseconds.
///
/// Guarantees:
/// - Entries are deduplicated and in a stable order: parameters by code, then the order the
///   values appear in the resource.
/// - At most `maximumEntriesPerParameter` entries per parameter (its derived keys included),
///   so a hostile resource with 100,000 codings costs 1,000 entries, and the walk stops there.
/// - `_id` and `_lastUpdated` are skipped (the store keeps them as columns), and so are
///   `special` parameters (their matching is not a value lookup).
public struct SearchIndexer: Sendable {
    /// The most entries one parameter of one resource gets; values past it are not indexed.
    public static let maximumEntriesPerParameter = 1_000

    /// Changes whenever the rules change what entries a resource gets, so a store can tell
    /// that rows built by an earlier indexer need rebuilding.
    /// (3: full text, `FullText`, indexed beside the entries; 4: Location positions.)
    public static let rulesVersion = 5

    private let plansByType: [String: TypePlan]
    private let resourceTypes: Set<String>

    /// An indexer over `parameters` (any resource types, grouped by `resourceType`), with
    /// bindings and resource types from `fhir`. For tests with hand-built parameters, and for
    /// servers that add their own.
    public init(parameters: [SearchParameter], fhir: FHIRDefinitions = .r4) {
        var compiler = IndexPlanCompiler(fhir: fhir)
        var byType: [String: [SearchParameter]] = [:]
        for parameter in parameters where Self.isIndexed(parameter) {
            byType[parameter.resourceType, default: []].append(parameter)
        }
        var plans: [String: TypePlan] = [:]
        for (type, parameters) in byType {
            var rootMembers: [String: Int] = [:]
            let compiled = parameters.sorted { $0.code < $1.code }.map {
                compiler.plan($0, rootMembers: &rootMembers)
            }
            plans[type] = TypePlan(plans: compiled, rootMembers: rootMembers)
        }
        self.plansByType = plans
        self.resourceTypes = fhir.resourceTypes
    }

    private static func isIndexed(_ parameter: SearchParameter) -> Bool {
        if parameter.code == "_id" || parameter.code == "_lastUpdated" { return false }
        if parameter.type == .special { return false }
        return !parameter.paths.isEmpty
    }

    /// Every index entry of `resource` (a validated resource of `type`), deduplicated, in a
    /// stable order. Skips `_id` and `_lastUpdated` (the store keeps those as columns).
    public func entries(for resource: JSONObject, type: String) -> [SearchIndexEntry] {
        guard let typePlan = plansByType[type] else { return [] }
        var collector = SearchEntryCollector(resourceTypes: resourceTypes)
        let root = JSON.object(resource)
        let members = resource.members
        let rootMembers = typePlan.rootMembers
        // Where each member the paths start from sits in the root (-1: absent), found once,
        // so that each path starts without searching the root and absent ones cost nothing.
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: Swift.max(rootMembers.count, 1)) { positions in
            positions.initialize(repeating: -1)
            for (position, member) in members.enumerated() {
                if let number = rootMembers[member.key] { positions[number] = Int32(position) }
            }
            for plan in typePlan.plans {
                collector.begin(cap: Self.maximumEntriesPerParameter)
                if plan.type == .composite {
                    collector.addComposites(of: plan, in: root)
                    continue
                }
                let keys = plan.keys
                for path in plan.paths {
                    let visit: (JSON) -> Bool = { value in
                        collector.add(value, as: plan.type, path: path, keys: keys)
                        return !collector.isFull
                    }
                    let more: Bool
                    if path.rootMember >= 0 {
                        let position = Int(positions[path.rootMember])
                        if position < 0 { continue }
                        more = SearchPathWalker.walk(into: members[position].value, path.steps, at: 0, visit)
                    } else {
                        more = SearchPathWalker.walk(root, path.steps, from: 0, visit)
                    }
                    if !more { break }
                }
            }
        }
        return collector.entries
    }

    /// The codes of the parameters indexed for `type`, in the order entries come out.
    func indexedParameters(of type: String) -> [String] {
        plansByType[type]?.plans.map(\.code) ?? []
    }
}

/// The keys one parameter's entries are stored under: its code and the derived keys of the
/// modifiers that need values of their own (`code:text`, `code:of-type`, `code:identifier`).
final class EntryKeys: Sendable {
    let code: String
    let text: String
    let ofType: String
    let identifier: String

    init(code: String) {
        self.code = code
        text = code + ":text"
        ofType = code + ":of-type"
        identifier = code + ":identifier"
    }

    /// For a composite's component: derived keys are never kept, so they are just the code.
    init(component code: String) {
        self.code = code
        text = code
        ofType = code
        identifier = code
    }
}

extension SearchEntryCollector {
    /// Turns one value reached by `path` into entries, by the parameter type and the shape
    /// of the value. Combinations the rules do not cover give nothing.
    mutating func add(_ value: JSON, as type: SearchParameterType, path: CompiledPath, keys: EntryKeys) {
        if path.shape == .extension {
            guard let (inner, shape) = Self.extensionValue(value) else { return }
            let resolved = CompiledPath(steps: path.steps, shape: shape, targetTypes: path.targetTypes, codeSystems: nil)
            add(inner, as: type, path: resolved, keys: keys)
            return
        }
        switch type {
        case .token: addTokens(value, path: path, keys: keys)
        case .string: addStrings(value, shape: path.shape, key: keys.code)
        case .date: addDates(value, shape: path.shape, key: keys.code)
        case .reference: addReferences(value, path: path, keys: keys)
        case .quantity: addQuantities(value, shape: path.shape, key: keys.code)
        case .number: addNumbers(value, shape: path.shape, key: keys.code)
        case .uri: addURIs(value, shape: path.shape, key: keys.code)
        case .composite, .special: return
        }
    }
}

extension SearchEntryCollector {
    /// An Extension's `value[x]` and its shape, from the member's name (`valueReference` ->
    /// Reference, `valueString` -> string); nil when it has none (a complex extension).
    static func extensionValue(_ value: JSON) -> (JSON, IndexedShape)? {
        guard case .object(let object) = value else { return nil }
        for member in object.members where member.key.hasPrefix("value") && member.key.count > 5 {
            let typeName = member.key.dropFirst(5)
            let shape = IndexedShape(valueType: String(typeName))
            if shape != .other { return (member.value, shape) }
            let primitive = typeName.prefix(1).lowercased() + typeName.dropFirst()
            return (member.value, IndexedShape(valueType: primitive))
        }
        return nil
    }
}
