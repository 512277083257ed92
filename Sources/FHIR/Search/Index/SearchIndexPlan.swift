/// What a search path reaches, resolved once from `SearchPath.valueType` so that indexing
/// switches on an enum instead of comparing type names for every value.
enum IndexedShape: Sendable, Hashable {
    case primitive(FHIRPrimitiveType)
    case coding, codeableConcept, identifier, contactPoint, humanName, address
    case period, timing, reference
    /// Quantity and its profiles: Age, Duration, Distance, Count, SimpleQuantity, MoneyQuantity.
    case quantity
    case money, range, sampledData
    /// An Extension: its values are its `value[x]` (see `SearchIndexer.extensionValue`).
    case `extension`
    /// A backbone element, a resource, or a type no rule indexes (only composites walk on
    /// from it).
    case other

    init(valueType: String) {
        if let primitive = FHIRPrimitiveType(rawValue: valueType) {
            self = .primitive(primitive)
            return
        }
        switch valueType {
        case "Coding": self = .coding
        case "CodeableConcept": self = .codeableConcept
        case "Identifier": self = .identifier
        case "ContactPoint": self = .contactPoint
        case "HumanName": self = .humanName
        case "Address": self = .address
        case "Period": self = .period
        case "Timing": self = .timing
        case "Reference": self = .reference
        case "Quantity", "Age", "Duration", "Distance", "Count", "SimpleQuantity", "MoneyQuantity":
            self = .quantity
        case "Money": self = .money
        case "Range": self = .range
        case "SampledData": self = .sampledData
        case "Extension": self = .extension
        default: self = .other
        }
    }
}

/// A `SearchPath` ready to walk: its steps, the shape reached, the allowed reference types
/// and, for a `code` element with a required binding, the one code system of each code.
final class CompiledPath: Sendable {
    let steps: [SearchPath.Step]
    let shape: IndexedShape
    /// Only references to these types count (nil: any).
    let targetTypes: [String]?
    /// For a `code` element bound (required) to a value set: code -> the system that holds
    /// it, for the codes held by exactly one system of the value set.
    let codeSystems: [String: String]?
    /// For a path from the resource root: the number its first member has in the type's
    /// `TypePlan.rootMembers`, so the walk starts without searching the root; else -1.
    let rootMember: Int

    init(steps: [SearchPath.Step], shape: IndexedShape, targetTypes: [String]?, codeSystems: [String: String]?,
         rootMember: Int = -1) {
        self.steps = steps
        self.rootMember = rootMember
        self.shape = shape
        self.targetTypes = targetTypes
        self.codeSystems = codeSystems
    }
}

/// The compiled parameters of one resource type, in the order entries come out, and the
/// numbers of the root members their paths start from.
final class TypePlan: Sendable {
    let plans: [IndexPlan]
    /// First members of the root paths -> a dense number (`CompiledPath.rootMember`).
    let rootMembers: [String: Int]

    init(plans: [IndexPlan], rootMembers: [String: Int]) {
        self.plans = plans
        self.rootMembers = rootMembers
    }
}

/// One search parameter of one resource type, compiled for indexing. Plans are classes so
/// that iterating over them costs one reference count, not one per member.
final class IndexPlan: Sendable {
    let code: String
    let type: SearchParameterType
    let paths: [CompiledPath]
    /// The keys its entries go under, built once.
    let keys: EntryKeys
    /// For composites: per composite path, the component paths compiled against the
    /// element that path reaches.
    let composites: [CompositePlan]

    init(code: String, type: SearchParameterType, paths: [CompiledPath], composites: [CompositePlan]) {
        self.code = code
        self.type = type
        self.paths = paths
        self.keys = EntryKeys(code: code)
        self.composites = composites
    }
}

/// One place a composite's elements are, and its components relative to those elements.
final class CompositePlan: Sendable {
    let path: CompiledPath
    let components: [ComponentPlan]

    init(path: CompiledPath, components: [ComponentPlan]) {
        self.path = path
        self.components = components
    }
}

final class ComponentPlan: Sendable {
    let type: SearchParameterType
    let paths: [CompiledPath]
    /// The component's code; derived keys are never kept for components.
    let keys: EntryKeys

    init(code: String, type: SearchParameterType, paths: [CompiledPath]) {
        self.type = type
        self.paths = paths
        self.keys = EntryKeys(component: code)
    }
}

/// Builds `IndexPlan`s from `SearchParameter`s, using the R4 element definitions to find
/// each `code` element's required binding. Value sets are turned into code -> system maps
/// once and shared between the parameters that use them.
struct IndexPlanCompiler {
    let fhir: FHIRDefinitions
    private var systemsByValueSet: [String: [String: String]] = [:]

    init(fhir: FHIRDefinitions) {
        self.fhir = fhir
    }

    /// Compiles `parameter`, numbering the first members of its root paths in `rootMembers`.
    mutating func plan(_ parameter: SearchParameter, rootMembers: inout [String: Int]) -> IndexPlan {
        let root = fhir.elements(of: parameter.resourceType)
        let paths = parameter.paths.map { path -> CompiledPath in
            var number = -1
            if let first = path.steps.first?.member {
                number = rootMembers[first] ?? rootMembers.count
                rootMembers[first] = number
            }
            return compile(path, from: root, rootMember: number)
        }
        var composites: [CompositePlan] = []
        if parameter.type == .composite {
            for (path, compiled) in zip(parameter.paths, paths) {
                let members = members(reachedBy: path, from: root)
                let components = parameter.components.map { component in
                    ComponentPlan(
                        code: component.code, type: component.type,
                        paths: component.paths.map { compile($0, from: members) })
                }
                composites.append(CompositePlan(path: compiled, components: components))
            }
        }
        return IndexPlan(code: parameter.code, type: parameter.type, paths: paths, composites: composites)
    }

    private mutating func compile(
        _ path: SearchPath, from root: [String: FHIRElement]?, rootMember: Int = -1
    ) -> CompiledPath {
        let shape = IndexedShape(valueType: path.valueType)
        var codeSystems: [String: String]?
        if shape == .primitive(.code), let element = element(reachedBy: path, from: root),
           let url = element.requiredValueSet {
            codeSystems = uniqueSystems(of: url)
        }
        return CompiledPath(
            steps: path.steps, shape: shape, targetTypes: path.targetTypes, codeSystems: codeSystems,
            rootMember: rootMember)
    }

    /// The definition of the element at the end of `path`, walking the JSON member names
    /// through the element tables (nil when a step is not defined, e.g. an extension).
    private func element(reachedBy path: SearchPath, from root: [String: FHIRElement]?) -> FHIRElement? {
        var members = root
        var reached: FHIRElement?
        for step in path.steps {
            guard let element = members?[step.member] else { return nil }
            reached = element
            members = fhir.children(of: element)
        }
        return reached
    }

    /// The members of the element at the end of `path` (the root's when the path is empty).
    private func members(reachedBy path: SearchPath, from root: [String: FHIRElement]?) -> [String: FHIRElement]? {
        if path.steps.isEmpty { return root }
        guard let element = element(reachedBy: path, from: root) else { return nil }
        return fhir.children(of: element)
    }

    private mutating func uniqueSystems(of url: String) -> [String: String]? {
        if let known = systemsByValueSet[url] { return known.isEmpty ? nil : known }
        var systems: [String: String] = [:]
        var ambiguous = Set<String>()
        if let valueSet = fhir.valueSet(url), valueSet.isExpandable {
            for (system, codes) in valueSet.codesBySystem {
                for code in codes {
                    if systems[code] == nil, !ambiguous.contains(code) {
                        systems[code] = system
                    } else {
                        systems[code] = nil
                        ambiguous.insert(code)
                    }
                }
            }
        }
        systemsByValueSet[url] = systems
        return systems.isEmpty ? nil : systems
    }
}
