/// Token entries (R4 search 3.1.1.4.10): `system|code` pairs, with system "" for values that
/// carry none, plus the derived `:text` and `:of-type` keys.
extension SearchEntryCollector {
    mutating func addTokens(_ value: JSON, path: CompiledPath, keys: EntryKeys) {
        switch path.shape {
        case .coding:
            guard case .object(let coding) = value else { return }
            addCoding(coding, keys: keys)
        case .codeableConcept:
            guard case .object(let concept) = value else { return }
            addConcept(concept, keys: keys)
        case .identifier:
            guard case .object(let identifier) = value else { return }
            addIdentifier(identifier, keys: keys)
        case .contactPoint:
            // The table for ContactPoint leaves the system empty and matches the value; the
            // server may use `use` as the system, so both are indexed.
            guard case .object(let contact) = value, let text = contact.indexString("value") else { return }
            add(keys.code, .token(system: "", code: text))
            if let use = contact.indexString("use") {
                add(keys.code, .token(system: use, code: text))
            }
        case .primitive:
            guard let text = value.indexText else { return }
            // A code bound to a value set drawing it from one system is that system's code,
            // so `gender=http://hl7.org/fhir/administrative-gender|female` matches (and
            // `gender=female`, which takes any system); other primitives have no system.
            if let systems = path.codeSystems, let system = systems[text] {
                add(keys.code, .token(system: system, code: text))
            } else {
                add(keys.code, .token(system: "", code: text))
            }
        default:
            return
        }
    }

    /// A Coding: its `system|code` when it has a code, and its display as `:text`.
    mutating func addCoding(_ coding: JSONObject, keys: EntryKeys) {
        if let code = coding.indexString("code") {
            add(keys.code, .token(system: coding.indexString("system") ?? "", code: code))
        }
        if keepsDerived, let display = coding.indexString("display") {
            addText(display, key: keys.text)
        }
    }

    /// A CodeableConcept: each coding, and its text as `:text`.
    mutating func addConcept(_ concept: JSONObject, keys: EntryKeys) {
        if case .array(let codings)? = concept["coding"] {
            for case .object(let coding) in codings {
                addCoding(coding, keys: keys)
                if isFull { return }
            }
        }
        if keepsDerived, let text = concept.indexString("text") {
            addText(text, key: keys.text)
        }
    }

    /// An Identifier: `system|value`; `:of-type` as the type's `system` with
    /// `typeCode|value`, for each type coding; the type's text as `:text`.
    mutating func addIdentifier(_ identifier: JSONObject, keys: EntryKeys) {
        guard let text = identifier.indexString("value") else { return }
        add(keys.code, .token(system: identifier.indexString("system") ?? "", code: text))
        guard keepsDerived, case .object(let type)? = identifier["type"] else { return }
        if case .array(let codings)? = type["coding"] {
            for case .object(let coding) in codings {
                guard let code = coding.indexString("code") else { continue }
                add(keys.ofType, .token(system: coding.indexString("system") ?? "", code: code + "|" + text))
            }
        }
        if let typeText = type.indexString("text") {
            addText(typeText, key: keys.text)
        }
    }

    /// A `:text` entry: the text normalised beside the exact text.
    mutating func addText(_ text: String, key: String) {
        add(key, .string(normalized: SearchText.normalize(text), exact: text))
    }
}
