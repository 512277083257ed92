/// Required bindings on `CodeableConcept` and `Coding`: at least one coding from the value
/// set, and no wrong code for a system the value set includes.
extension ValidationRun {
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
