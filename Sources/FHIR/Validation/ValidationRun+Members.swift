/// One element's value: cardinality and array shape first, then its JSON kind, primitive
/// format and required binding, and the rules of its datatype.
extension ValidationRun {
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
}
