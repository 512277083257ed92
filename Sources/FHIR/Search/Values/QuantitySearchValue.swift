/// A quantity search value (R4 search 3.1.1.4.9): `[prefix]number|system|code`, `number||code`
/// or `number`. A nil system matches any system; with a nil system the code matches either
/// `Quantity.code` or `Quantity.unit` (the spec's rule for `5.4||mg`).
public struct QuantitySearchValue: Sendable, Hashable {
    public let number: NumberSearchValue
    /// Nil: any system (written as an empty system or no system at all).
    public let system: String?
    /// Nil: any unit.
    public let code: String?

    public init(number: NumberSearchValue, system: String?, code: String?) {
        self.number = number
        self.system = system
        self.code = code
    }

    public static func parse(_ text: String) throws(SearchValueError) -> QuantitySearchValue {
        let parts = SearchEscaping.split(text, on: "|")
        switch parts.count {
        case 1:
            return QuantitySearchValue(number: try NumberSearchValue.parse(SearchEscaping.unescape(parts[0])),
                                       system: nil, code: nil)
        case 3:
            let number = try NumberSearchValue.parse(SearchEscaping.unescape(parts[0]))
            let system = SearchEscaping.unescape(parts[1])
            let code = SearchEscaping.unescape(parts[2])
            return QuantitySearchValue(number: number, system: system.isEmpty ? nil : system,
                                       code: code.isEmpty ? nil : code)
        default:
            throw SearchValueError("invalid quantity \(SearchValueError.quote(text)): expected number, "
                + "number|system|code or number||code (escape a literal bar as \\|)")
        }
    }
}
