/// FHIR extensions: the `_name` siblings that carry a primitive's id and extensions, and the
/// value-or-nested rule of `Extension` itself.
extension ValidationRun {
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
}
