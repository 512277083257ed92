/// The comparison prefixes of number, date and quantity values (R4 search 3.1.1.4.2). A value
/// without one means `eq`.
public enum SearchPrefix: String, CaseIterable, Sendable {
    case eq, ne, gt, lt, ge, le, sa, eb, ap

    /// Splits a leading prefix from `text`. A value that starts with a letter must start with
    /// one of the nine prefixes (numbers and dates never start with a letter), so "zz2020" is
    /// an error rather than a malformed date: the message then names the real mistake.
    public static func split(_ text: String) throws(SearchValueError) -> (prefix: SearchPrefix, value: String) {
        guard let first = text.unicodeScalars.first, first.properties.isAlphabetic else {
            return (.eq, text)
        }
        let head = String(text.prefix(2))
        guard head.count == 2, let prefix = SearchPrefix(rawValue: head) else {
            throw SearchValueError("unknown prefix \(SearchValueError.quote(head)) in \(SearchValueError.quote(text)): "
                + "expected one of eq, ne, gt, lt, ge, le, sa, eb, ap, or none")
        }
        return (prefix, String(text.dropFirst(2)))
    }
}
