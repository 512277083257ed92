/// The FHIR R4 (4.0.1) definitions the server needs at run time: which resource and data
/// types exist, which members each type and backbone element may carry (with cardinality,
/// types, required bindings and Reference targets), and the expansions of the value sets
/// behind required bindings.
///
/// The data comes from generated text tables (Sources/FHIR/Generated) parsed once, at first
/// use of `FHIRDefinitions.r4`; afterwards every lookup is a dictionary or array access.
public final class FHIRDefinitions: Sendable {
    /// The R4 definitions, parsed on first use.
    public static let r4 = FHIRDefinitions(
        structureTable: FHIRGeneratedTables.structureTable,
        valueSetTable: FHIRGeneratedTables.valueSetTable
    )

    /// Concrete resource types (Patient, Observation, Bundle, ...).
    public let resourceTypes: Set<String>
    /// Complex datatypes (HumanName, CodeableConcept, Extension, ...).
    public let complexTypes: Set<String>
    /// Primitive types (string, dateTime, ...).
    public let primitiveTypes: Set<String>
    /// Value sets behind required bindings, by URL (without version).
    public let valueSets: [String: FHIRValueSet]

    let layouts: [FHIRLayout]
    let layoutIndexByKey: [String: Int]
    /// The layout of the members a primitive's `_name` object may carry (id, extension).
    let primitiveExtensionLayout: Int
    let resourceLayoutIndex: [String: Int]

    init(structureTable: String, valueSetTable: String) {
        var resources = Set<String>()
        var complexes = Set<String>()
        var primitives = Set<String>()
        struct Record {
            var path: Substring
            var parent: Substring
            var last: Substring
            var min: Int
            var max: Int
            var types: [Substring]
            var binding: Substring?
            var targets: Set<String>?
        }
        var records: [Record] = []
        records.reserveCapacity(8000)
        for line in structureTable.split(separator: "\n", omittingEmptySubsequences: true) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            switch fields[0] {
            case "R": resources.insert(String(fields[1]))
            case "C": complexes.insert(String(fields[1]))
            case "P": primitives.insert(String(fields[1]))
            case "E":
                guard fields.count >= 7 else { continue }
                let path = fields[1]
                let dot = path.lastIndex(of: ".")!
                let maxText = fields[3]
                let targets: Set<String>?
                switch fields[6] {
                case "-", "*": targets = nil
                default: targets = Set(fields[6].split(separator: ",").map(String.init))
                }
                records.append(Record(
                    path: path,
                    parent: path[..<dot],
                    last: path[path.index(after: dot)...],
                    min: Int(fields[2]) ?? 0,
                    max: maxText == "*" ? Int.max : (Int(maxText) ?? 1),
                    types: fields[4].split(separator: ","),
                    binding: fields[5] == "-" ? nil : fields[5],
                    targets: targets
                ))
            default: continue
            }
        }
        self.resourceTypes = resources
        self.complexTypes = complexes
        self.primitiveTypes = primitives

        // One layout per parent path (type names and backbone paths).
        var keys = Set<String>()
        for record in records { keys.insert(String(record.parent)) }
        let sortedKeys = keys.sorted()
        var indexByKey: [String: Int] = [:]
        for (index, key) in sortedKeys.enumerated() { indexByKey[key] = index }

        var members: [[String: FHIRElement]] = Array(repeating: [:], count: sortedKeys.count)
        var required: [[FHIRElement]] = Array(repeating: [], count: sortedKeys.count)
        var groups: [Set<String>] = Array(repeating: [], count: sortedKeys.count)
        for record in records {
            let owner = indexByKey[String(record.parent)]!
            let path = String(record.path)
            let binding = record.binding.map(String.init)
            var made: [FHIRElement] = []
            if record.last.hasSuffix("[x]") {
                let base = String(record.last.dropLast(3))
                groups[owner].insert(base)
                for type in record.types {
                    let typeName = String(type)
                    let name = base + typeName.prefix(1).uppercased() + typeName.dropFirst()
                    let (kind, layout) = Self.resolve(typeName, indexByKey: indexByKey, primitives: primitives)
                    made.append(FHIRElement(
                        name: name, path: path, min: record.min, max: record.max, kind: kind,
                        typeName: typeName, choiceGroup: base, requiredValueSet: binding,
                        targetTypes: typeName == "Reference" ? record.targets : nil, layoutIndex: layout))
                }
            } else {
                let name = String(record.last)
                let first = record.types.first.map(String.init) ?? "string"
                let kind: FHIRElement.Kind
                let layout: Int
                let typeName: String
                if first == "@" {
                    kind = .backbone
                    layout = indexByKey[path] ?? -1
                    typeName = "BackboneElement"
                } else if first.hasPrefix("#") {
                    kind = .backbone
                    layout = indexByKey[String(first.dropFirst())] ?? -1
                    typeName = "BackboneElement"
                } else {
                    (kind, layout) = Self.resolve(first, indexByKey: indexByKey, primitives: primitives)
                    typeName = first
                }
                made.append(FHIRElement(
                    name: name, path: path, min: record.min, max: record.max, kind: kind,
                    typeName: typeName, choiceGroup: nil, requiredValueSet: binding,
                    targetTypes: typeName == "Reference" ? record.targets : nil, layoutIndex: layout))
            }
            for element in made { members[owner][element.name] = element }
            if record.min > 0, let first = made.first { required[owner].append(first) }
        }
        var layouts: [FHIRLayout] = []
        layouts.reserveCapacity(sortedKeys.count)
        for (index, key) in sortedKeys.enumerated() {
            layouts.append(FHIRLayout(
                key: key, elements: members[index], required: required[index], choiceGroups: groups[index]))
        }
        self.layouts = layouts
        self.layoutIndexByKey = indexByKey
        self.primitiveExtensionLayout = indexByKey["Element"] ?? -1
        var resourceLayouts: [String: Int] = [:]
        for type in resources { if let index = indexByKey[type] { resourceLayouts[type] = index } }
        self.resourceLayoutIndex = resourceLayouts

        // Value sets.
        var shared: [String: Set<String>] = [:]
        var sets: [String: FHIRValueSet] = [:]
        var currentURL: String?
        var current: [String: Set<String>] = [:]
        func finish() {
            if let url = currentURL { sets[url] = FHIRValueSet(url: url, codesBySystem: current) }
            currentURL = nil
            current = [:]
        }
        for line in valueSetTable.split(separator: "\n", omittingEmptySubsequences: true) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 2 else { continue }
            switch fields[0] {
            case "S":
                shared[String(fields[1])] = Set(fields.dropFirst(2).map(String.init))
            case "V":
                finish()
                currentURL = String(fields[1])
            case "=":
                let system = String(fields[1])
                current[system, default: []].formUnion(shared[system] ?? [])
            case "+":
                current[String(fields[1]), default: []].formUnion(fields.dropFirst(2).map(String.init))
            case "X":
                finish()
                let url = String(fields[1])
                sets[url] = FHIRValueSet(unexpandable: url)
            default:
                continue
            }
        }
        finish()
        self.valueSets = sets
    }

    private static func resolve(
        _ typeName: String, indexByKey: [String: Int], primitives: Set<String>
    ) -> (FHIRElement.Kind, Int) {
        if let primitive = FHIRPrimitiveType(rawValue: typeName) { return (.primitive(primitive), -1) }
        if typeName == "Resource" { return (.resource, -1) }
        return (.complex, indexByKey[typeName] ?? -1)
    }

    // MARK: - Lookups

    /// Whether `name` is a concrete R4 resource type.
    public func isResourceType(_ name: String) -> Bool {
        resourceTypes.contains(name)
    }

    /// The members an object of `typeOrPath` may carry, by JSON name: `typeOrPath` is a
    /// resource or complex type name (`Patient`, `HumanName`) or a backbone element path
    /// (`Patient.contact`). Choice elements appear under each JSON name (`valueQuantity`).
    public func elements(of typeOrPath: String) -> [String: FHIRElement]? {
        guard let index = layoutIndexByKey[typeOrPath] else { return nil }
        return layouts[index].elements
    }

    /// The member `name` (a JSON member name such as `birthDate` or `valueQuantity`) of
    /// `typeOrPath` (a type name or backbone path), if defined.
    public func element(_ name: String, of typeOrPath: String) -> FHIRElement? {
        guard let index = layoutIndexByKey[typeOrPath] else { return nil }
        return layouts[index].elements[name]
    }

    /// The element at a definition path such as `Patient.name`, `Observation.value[x]`
    /// (first type of a choice) or `Questionnaire.item.item`.
    public func element(atPath path: String) -> FHIRElement? {
        guard let dot = path.lastIndex(of: ".") else { return nil }
        let parent = String(path[..<dot])
        var last = String(path[path.index(after: dot)...])
        guard let index = layoutIndexByKey[parent] else { return nil }
        let layout = layouts[index]
        if last.hasSuffix("[x]") {
            last.removeLast(3)
            return layout.elements.values.filter { $0.choiceGroup == last }.min { $0.name < $1.name }
        }
        return layout.elements[last]
    }

    /// The members of `element`'s type or backbone, by JSON name (nil for primitives and
    /// resources).
    public func children(of element: FHIRElement) -> [String: FHIRElement]? {
        guard element.layoutIndex >= 0 else { return nil }
        return layouts[element.layoutIndex].elements
    }

    /// The value set behind a required binding, by URL (a `|version` suffix is ignored).
    public func valueSet(_ url: String) -> FHIRValueSet? {
        if let set = valueSets[url] { return set }
        if let bar = url.firstIndex(of: "|") { return valueSets[String(url[..<bar])] }
        return nil
    }

    /// Whether the value set `url` holds (`system`, `code`); nil when the value set is
    /// unknown or cannot be expanded here.
    public func valueSet(_ url: String, contains code: String, system: String) -> Bool? {
        valueSet(url)?.contains(system: system, code: code)
    }
}
