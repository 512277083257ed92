/// PostgreSQL array literals (`{"a","b"}`), bound as one text value and cast on the server
/// (`CAST(? AS text[])`): many values in one bound parameter, where each parameter costs the
/// client encoding work and a statement holds at most 65,535 of them.
public enum PostgresArray {
    /// Every element quoted, so commas, braces, spaces and the word NULL stay text.
    public static func literal(_ elements: [String]) -> String {
        var text = "{"
        for (offset, element) in elements.enumerated() {
            if offset > 0 { text += "," }
            text += "\""
            for character in element {
                if character == "\"" || character == "\\" { text += "\\" }
                text.append(character)
            }
            text += "\""
        }
        return text + "}"
    }

    /// Numbers need no quotes.
    public static func literal(_ elements: some Sequence<Int64>) -> String {
        "{" + elements.map(String.init).joined(separator: ",") + "}"
    }
}
