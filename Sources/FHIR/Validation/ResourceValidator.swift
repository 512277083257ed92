/// Checks a FHIR R4 resource in JSON form against the base specification: known resource
/// type and elements, choice types, cardinality, JSON shapes, primitive formats, required
/// code bindings, reference formats and targets, extensions, primitive extension siblings,
/// and NHS numbers. Each issue names the rule and the FHIRPath location of the fault, never
/// the value sent. An empty result means the resource is valid; issues of severity `.error`
/// mean it must be rejected.
///
/// Issue codes: `structure` for unknown elements and wrong JSON shapes (objects, arrays,
/// nulls, empty objects and arrays); `required` for missing elements; `value` for bad
/// primitive values (formats, empty strings, a JSON string where a number belongs, unknown
/// resource types, malformed references, NHS numbers); `code-invalid` for required binding
/// failures; `invalid` for the rest (reference target types, extension value/nesting,
/// cardinality above max, more than one NHS number).
public struct ResourceValidator: Sendable {
    public let definitions: FHIRDefinitions

    public init(definitions: FHIRDefinitions = .r4) {
        self.definitions = definitions
    }

    /// All problems found with `resource`; empty when it is valid.
    public func validate(_ resource: JSON) -> [FHIRIssue] {
        var run = ValidationRun(definitions: definitions)
        run.validateResource(resource, isRoot: true)
        return run.issues
    }

    /// True when `validate` finds no error (warnings allowed).
    public func isValid(_ resource: JSON) -> Bool {
        !validate(resource).contains { $0.severity == .error || $0.severity == .fatal }
    }
}

private enum PathPart {
    case name(String)
    case index(Int)
}

private struct ValidationRun {
    let definitions: FHIRDefinitions
    var issues: [FHIRIssue] = []
    var path: [PathPart] = []

    init(definitions: FHIRDefinitions) {
        self.definitions = definitions
        path.reserveCapacity(16)
    }

    // MARK: Reporting

    func location(_ extra: String? = nil) -> String {
        var text = ""
        for part in path {
            switch part {
            case .name(let name):
                if !text.isEmpty { text += "." }
                text += name
            case .index(let index):
                text += "[\(index)]"
            }
        }
        if let extra {
            if !text.isEmpty { text += "." }
            text += extra
        }
        return text
    }

    mutating func report(_ code: FHIRIssue.Code, _ message: String, extra: String? = nil) {
        let where_ = location(extra)
        issues.append(FHIRIssue(.error, code, message, at: where_.isEmpty ? [] : [where_]))
    }

    /// An element name safe to quote: names are not values, but an unknown one came from
    /// the sender, so it is cut short.
    static func quoted(_ name: String) -> String {
        name.count <= 64 ? name : String(name.prefix(64)) + "..."
    }

    // MARK: Resources

    mutating func validateResource(_ value: JSON, isRoot: Bool) {
        guard case .object(let object) = value else {
            report(.structure, "A resource must be a JSON object, found \(value.kindName)")
            return
        }
        guard let typeValue = object["resourceType"] else {
            report(.required, "The resource has no resourceType", extra: isRoot ? nil : "resourceType")
            return
        }
        guard case .string(let type) = typeValue else {
            report(.structure, "resourceType must be a JSON string", extra: isRoot ? nil : "resourceType")
            return
        }
        guard let layout = definitions.resourceLayoutIndex[type] else {
            report(.value, "resourceType is not a known concrete FHIR R4 resource type",
                   extra: isRoot ? nil : "resourceType")
            return
        }
        if isRoot { path.append(.name(type)) }
        validateObject(object, layout: layout, isResource: true)
        if type == "Patient" { checkPatient(object) }
        if isRoot { path.removeLast() }
    }

    mutating func checkPatient(_ patient: JSONObject) {
        guard case .array(let identifiers)? = patient["identifier"] else { return }
        var count = 0
        for identifier in identifiers {
            if case .string(let system)? = identifier["system"], system == NHSNumber.system { count += 1 }
        }
        if count > 1 {
            report(.invalid, "A Patient may have at most one NHS number identifier", extra: "identifier")
        }
    }

    // MARK: Objects

    mutating func validateObject(_ object: JSONObject, layout layoutIndex: Int, isResource: Bool) {
        guard layoutIndex >= 0 else { return }
        let layout = definitions.layouts[layoutIndex]
        if object.isEmpty {
            report(.structure, "An object must not be empty")
            return
        }
        // Choice groups seen so far, with the JSON name (without "_") that used them.
        var choices: [(group: String, name: Substring)] = []
        for member in object.members {
            let key = member.key
            if key == "resourceType" {
                if !isResource {
                    report(.structure, "resourceType is only allowed at the root of a resource", extra: key)
                }
                continue
            }
            if key.utf8.first == UInt8(ascii: "_") {
                let base = key.dropFirst()
                guard let element = layout.elements[String(base)], case .primitive = element.kind else {
                    report(.structure, "Unknown element '\(Self.quoted(key))' in \(layout.key)",
                           extra: Self.quoted(key))
                    continue
                }
                if let group = element.choiceGroup { noteChoice(group, base, &choices) }
                checkPrimitiveSibling(member.value, element: element, key: key, primary: object[element.name])
                continue
            }
            guard let element = layout.elements[key] else {
                report(.structure, "Unknown element '\(Self.quoted(key))' in \(layout.key)", extra: Self.quoted(key))
                continue
            }
            if let group = element.choiceGroup { noteChoice(group, key[...], &choices) }
            path.append(.name(key))
            checkMember(member.value, element: element, in: object)
            path.removeLast()
        }
        for element in layout.required {
            if let group = element.choiceGroup {
                if !choices.contains(where: { $0.group == group }) {
                    report(.required, "Required element '\(group)[x]' of \(layout.key) is missing",
                           extra: group + "[x]")
                }
            } else if object[element.name] == nil && object[element.siblingName] == nil {
                report(.required, "Required element '\(element.name)' of \(layout.key) is missing (minimum \(element.min))",
                       extra: element.name)
            }
        }
    }

    mutating func noteChoice(_ group: String, _ name: Substring, _ choices: inout [(group: String, name: Substring)]) {
        if let existing = choices.first(where: { $0.group == group }) {
            if existing.name != name {
                report(.structure, "Only one type of the choice element '\(group)[x]' may be present",
                       extra: String(name))
            }
        } else {
            choices.append((group, name))
        }
    }

    mutating func checkMember(_ value: JSON, element: FHIRElement, in object: JSONObject) {
        if element.isRepeating {
            guard case .array(let items) = value else {
                report(.structure, "Element '\(element.name)' repeats and must be a JSON array")
                return
            }
            if items.isEmpty {
                report(.structure, "An array must not be empty")
                return
            }
            if items.count > element.max {
                report(.invalid, "Element '\(element.name)' allows at most \(element.max) items")
            }
            var siblings: [JSON]?
            if case .primitive = element.kind, items.contains(.null) {
                siblings = object[element.siblingName]?.arrayValue
            }
            for (index, item) in items.enumerated() {
                path.append(.index(index))
                if case .null = item {
                    let aligned: Bool
                    if let siblings, index < siblings.count, siblings[index] != .null { aligned = true } else { aligned = false }
                    if !aligned {
                        report(.structure, "null is only allowed in a primitive array aligned with a non-null '\(element.siblingName)' item")
                    }
                } else {
                    checkValue(item, element: element)
                }
                path.removeLast()
            }
        } else {
            if case .array = value {
                report(.structure, "Element '\(element.name)' does not repeat (max 1) and must not be an array")
                return
            }
            checkValue(value, element: element)
        }
    }

    mutating func checkValue(_ value: JSON, element: FHIRElement) {
        if case .null = value {
            report(.structure, "null is not allowed here")
            return
        }
        switch element.kind {
        case .primitive(let type):
            switch value {
            case .object, .array:
                report(.structure, "Element '\(element.name)' is a \(type.rawValue) and must be a JSON primitive, found \(value.kindName)")
                return
            default:
                break
            }
            if let failure = FHIRPrimitiveFormat.check(value, as: type) {
                report(.value, "Invalid \(type.rawValue): the value \(failure.message)")
                return
            }
            if let url = element.requiredValueSet, case .string(let code) = value,
               let set = definitions.valueSets[url], set.contains(code: code) == false
            {
                report(.codeInvalid, "The code is not in the required value set \(url)")
            }
        case .complex, .backbone:
            guard case .object(let object) = value else {
                report(.structure, "Element '\(element.name)' of type \(element.typeName) must be a JSON object, found \(value.kindName)")
                return
            }
            validateObject(object, layout: element.layoutIndex, isResource: false)
            if object.isEmpty { return }
            switch element.typeName {
            case "Extension": checkExtension(object)
            case "Reference": checkReference(object, targets: element.targetTypes)
            case "Identifier": checkIdentifier(object)
            case "CodeableConcept":
                if let url = element.requiredValueSet { checkCodeableConcept(object, valueSet: url) }
            case "Coding":
                if let url = element.requiredValueSet { checkCoding(object, valueSet: url) }
            default: break
            }
        case .resource:
            validateResource(value, isRoot: false)
        }
    }

    mutating func checkPrimitiveSibling(_ value: JSON, element: FHIRElement, key: String, primary: JSON?) {
        path.append(.name(key))
        defer { path.removeLast() }
        let layout = definitions.primitiveExtensionLayout
        if element.isRepeating {
            guard case .array(let items) = value else {
                report(.structure, "'\(key)' must be a JSON array aligned with '\(element.name)'")
                return
            }
            if items.isEmpty {
                report(.structure, "An array must not be empty")
                return
            }
            var primaryItems: [JSON]?
            if let primary {
                guard case .array(let values) = primary, values.count == items.count else {
                    report(.structure, "'\(key)' must have as many items as '\(element.name)'")
                    return
                }
                primaryItems = values
            }
            for (index, item) in items.enumerated() {
                path.append(.index(index))
                switch item {
                case .null:
                    // (both null with a primary array is reported at the primary item)
                    if primaryItems == nil {
                        report(.structure, "An item of '\(element.name)' must have a value or an extension")
                    }
                case .object(let object):
                    validateObject(object, layout: layout, isResource: false)
                default:
                    report(.structure, "Items of '\(key)' must be JSON objects or null")
                }
                path.removeLast()
            }
        } else {
            guard case .object(let object) = value else {
                report(.structure, "'\(key)' must be a JSON object")
                return
            }
            validateObject(object, layout: layout, isResource: false)
        }
    }

    // MARK: Datatype rules

    mutating func checkExtension(_ object: JSONObject) {
        var hasValue = false
        for member in object.members where member.key.hasPrefix("value") || member.key.hasPrefix("_value") {
            hasValue = true
            break
        }
        let hasExtensions = object["extension"] != nil
        if hasValue && hasExtensions {
            report(.invalid, "An extension must have either a value[x] or nested extensions, not both")
        } else if !hasValue && !hasExtensions {
            report(.invalid, "An extension must have either a value[x] or nested extensions")
        }
    }

    mutating func checkIdentifier(_ object: JSONObject) {
        guard case .string(let system)? = object["system"], system == NHSNumber.system else { return }
        switch object["value"] {
        case .string(let value)?:
            if !NHSNumber.isValid(value) {
                report(.value, "Not a valid NHS number: it must be 10 digits passing the modulus 11 check, not all the same digit",
                       extra: "value")
            }
        case nil:
            report(.required, "An NHS number identifier must have a value", extra: "value")
        default:
            break // wrong JSON kind, already reported
        }
    }

    mutating func checkReference(_ object: JSONObject, targets: Set<String>?) {
        guard case .string(let reference)? = object["reference"], !reference.isEmpty else { return }
        switch Self.referenceType(reference, definitions: definitions) {
        case .invalid:
            report(.value, "Invalid reference: expected Type/id, an absolute URL, urn:uuid:, urn:oid: or #fragment",
                   extra: "reference")
        case .typed(let type):
            if let targets, !targets.contains(type) {
                report(.invalid, "The reference's resource type is not allowed here (allowed: \(targets.sorted().joined(separator: ", ")))",
                       extra: "reference")
            }
        case .untyped:
            break
        }
    }

    enum ReferenceKind {
        case invalid
        case typed(String)
        case untyped
    }

    static func referenceType(_ reference: String, definitions: FHIRDefinitions) -> ReferenceKind {
        let utf8 = reference.utf8
        guard let first = utf8.first else { return .invalid }
        if first == UInt8(ascii: "#") {
            return FHIRPrimitiveFormat.isValidURI(reference) ? .untyped : .invalid
        }
        if reference.hasPrefix("urn:uuid:") {
            return FHIRPrimitiveFormat.isValidUUIDURN(reference) ? .untyped : .invalid
        }
        if reference.hasPrefix("urn:oid:") {
            return FHIRPrimitiveFormat.isValidOID(reference) ? .untyped : .invalid
        }
        if reference.hasPrefix("http://") || reference.hasPrefix("https://") {
            guard FHIRPrimitiveFormat.isValidURI(reference), utf8.count > (reference.hasPrefix("https") ? 8 : 7) else {
                return .invalid
            }
            // A RESTful URL ending in Type/id or Type/id/_history/vid names its type.
            let parts = reference.split(separator: "/", omittingEmptySubsequences: false)
            var typeIndex = parts.count - 2
            if parts.count >= 6, parts[parts.count - 2] == "_history" { typeIndex = parts.count - 4 }
            if typeIndex >= 3, definitions.resourceTypes.contains(String(parts[typeIndex])),
               FHIRPrimitiveFormat.isValidID(String(parts[typeIndex + 1]))
            {
                return .typed(String(parts[typeIndex]))
            }
            return .untyped
        }
        // Conditional reference (transactions): Type?query
        if let question = reference.firstIndex(of: "?") {
            let type = String(reference[..<question])
            let query = reference[reference.index(after: question)...]
            guard definitions.resourceTypes.contains(type), !query.isEmpty,
                  FHIRPrimitiveFormat.isValidURI(reference)
            else { return .invalid }
            return .typed(type)
        }
        let parts = reference.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 || (parts.count == 4 && parts[2] == "_history") else { return .invalid }
        let type = String(parts[0])
        guard definitions.resourceTypes.contains(type), FHIRPrimitiveFormat.isValidID(String(parts[1])) else {
            return .invalid
        }
        if parts.count == 4, !FHIRPrimitiveFormat.isValidID(String(parts[3])) { return .invalid }
        return .typed(type)
    }

    /// Checks one coding against a required value set: returns true when it is from the
    /// value set, false when it is not (reporting a wrong code of a system of the set).
    mutating func codingFromValueSet(_ coding: JSONObject, _ set: FHIRValueSet) -> Bool {
        guard case .string(let system)? = coding["system"], set.includes(system: system) else { return false }
        guard case .string(let code)? = coding["code"] else { return false }
        if set.contains(system: system, code: code) == true { return true }
        report(.codeInvalid, "The code is not in the required value set \(set.url) for its system", extra: "code")
        return false
    }

    mutating func checkCodeableConcept(_ concept: JSONObject, valueSet url: String) {
        guard let set = definitions.valueSets[url], set.isExpandable else { return }
        var found = false
        if case .array(let codings)? = concept["coding"] {
            path.append(.name("coding"))
            for (index, item) in codings.enumerated() {
                guard case .object(let coding) = item else { continue }
                path.append(.index(index))
                if codingFromValueSet(coding, set) { found = true }
                path.removeLast()
            }
            path.removeLast()
        }
        if !found {
            report(.codeInvalid, "At least one coding must come from the required value set \(url)")
        }
    }

    mutating func checkCoding(_ coding: JSONObject, valueSet url: String) {
        guard let set = definitions.valueSets[url], set.isExpandable else { return }
        let before = issues.count
        if !codingFromValueSet(coding, set), issues.count == before {
            report(.codeInvalid, "The coding must come from the required value set \(url)")
        }
    }
}
