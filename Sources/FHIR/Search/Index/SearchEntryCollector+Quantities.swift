/// Quantity entries (R4 search 3.1.1.4.7) and number entries (3.1.1.4.5).
///
/// A Quantity is its value with `system` and `code` (the unit when there is no code); when it
/// has both a code and a different human unit, the unit is indexed too with system "", since
/// a search without a system matches either. A comparator (`<5`) cannot be kept: the value is
/// indexed as if exact. Money is a quantity in ISO 4217 currency. A Range has no single value:
/// its low and high are indexed as two values, which answers `gt`/`ge`/`lt`/`le` the way a
/// range should ("some value of the range is above ...") but finds `eq` only at the bounds.
/// SampledData is not indexed.
extension SearchEntryCollector {
    mutating func addQuantities(_ value: JSON, shape: IndexedShape, key: String) {
        guard case .object(let object) = value else { return }
        switch shape {
        case .quantity:
            addQuantity(object, key: key)
        case .money:
            guard let number = object["value"]?.indexNumber else { return }
            add(key, .quantity(value: number, system: "urn:iso:std:iso:4217", code: object.indexString("currency") ?? ""))
        case .range:
            if case .object(let low)? = object["low"] { addQuantity(low, key: key) }
            if case .object(let high)? = object["high"] { addQuantity(high, key: key) }
        default:
            return
        }
    }

    private mutating func addQuantity(_ quantity: JSONObject, key: String) {
        guard let number = quantity["value"]?.indexNumber else { return }
        let system = quantity.indexString("system") ?? ""
        let code = quantity.indexString("code")
        let unit = quantity.indexString("unit")
        add(key, .quantity(value: number, system: system, code: code ?? unit ?? ""))
        if code != nil, let unit, unit != code {
            add(key, .quantity(value: number, system: "", code: unit))
        }
    }

    /// Numbers: decimal and integer primitives as they were written; a Range (as in
    /// `RiskAssessment.prediction.probability`) gives its low and high values, and a Quantity
    /// its value.
    mutating func addNumbers(_ value: JSON, shape: IndexedShape, key: String) {
        switch shape {
        case .primitive:
            guard let number = value.indexNumber else { return }
            add(key, .number(number))
        case .quantity:
            guard let number = value["value"]?.indexNumber else { return }
            add(key, .number(number))
        case .range:
            if let number = value["low"]?["value"]?.indexNumber { add(key, .number(number)) }
            if let number = value["high"]?["value"]?.indexNumber { add(key, .number(number)) }
        default:
            return
        }
    }

    /// URIs (R4 search 3.1.1.4.13): the text as a token without a system. A canonical with a
    /// `|version` is indexed with and without it, so a search for the bare URL finds every
    /// version.
    mutating func addURIs(_ value: JSON, shape: IndexedShape, key: String) {
        guard case .primitive = shape, case .string(let text) = value else { return }
        add(key, .token(system: "", code: text))
        if shape == .primitive(.canonical), let bar = text.firstIndex(of: "|") {
            add(key, .token(system: "", code: String(text[..<bar])))
        }
    }
}
