/// The members of one object against its layout: unknown elements, `resourceType` out of
/// place, choice types used more than once, and required elements that are missing.
extension ValidationRun {
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
}
