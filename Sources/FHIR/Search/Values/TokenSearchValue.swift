/// A token search value (R4 search 3.1.1.4.10), with the spec's four forms:
/// `system|code` (both must match), `|code` (system "" : the value has no system), `system|`
/// (code nil: any code in that system) and `code` (system nil: any system). The parts are
/// unescaped (`\|`, `\,`, `\$`, `\\`); the split is at the first unescaped bar, so a code may
/// hold an escaped one.
public struct TokenSearchValue: Sendable, Hashable {
    /// Nil: any system. "": no system.
    public let system: String?
    /// Nil: any code.
    public let code: String?

    public init(system: String?, code: String?) {
        self.system = system
        self.code = code
    }

    public static func parse(_ text: String) throws(SearchValueError) -> TokenSearchValue {
        let value: TokenSearchValue
        if let (system, code) = SearchEscaping.splitFirst(text, on: "|") {
            value = TokenSearchValue(system: SearchEscaping.unescape(system),
                                     code: code.isEmpty ? nil : SearchEscaping.unescape(code))
        } else {
            value = TokenSearchValue(system: nil, code: SearchEscaping.unescape(text))
        }
        // "" and "|" say nothing to match on.
        if (value.system ?? "").isEmpty, (value.code ?? "").isEmpty {
            throw SearchValueError("empty token \(SearchValueError.quote(text)): expected code, system|code, |code or system|")
        }
        return value
    }
}
