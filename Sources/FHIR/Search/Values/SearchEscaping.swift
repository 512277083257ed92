/// The backslash escapes of R4 search (3.1.1.3.8): `\,` `\$` `\|` `\\` stand for the
/// characters themselves, so values can contain the separators of OR lists (`,`), composites
/// (`$`) and tokens/quantities (`|`). Splitting keeps escapes, so that a piece can be split
/// again on another separator; `unescape` is the last step before a piece is used.
public enum SearchEscaping {
    /// Splits on every `separator` not preceded by an escaping backslash. Escapes stay in
    /// the pieces. `a\,b,c` on "," -> [`a\,b`, `c`]; "" -> [""].
    public static func split(_ text: String, on separator: Character) -> [String] {
        var pieces: [String] = []
        var current = ""
        var escaped = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                current.append(character)
                escaped = true
            } else if character == separator {
                pieces.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        pieces.append(current)
        return pieces
    }

    /// Splits at the first unescaped `separator` only: (before, after) or nil when there is
    /// none. Used for tokens, where the code may itself contain escaped bars.
    public static func splitFirst(_ text: String, on separator: Character) -> (String, String)? {
        var escaped = false
        for index in text.indices {
            let character = text[index]
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == separator {
                return (String(text[..<index]), String(text[text.index(after: index)...]))
            }
        }
        return nil
    }

    /// Removes escaping backslashes: `\x` -> `x` for any character x (the spec names `,` `$`
    /// `|` and `\`; treating others the same is harmless). A lone trailing backslash stays.
    public static func unescape(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var out = ""
        var escaped = false
        for character in text {
            if escaped {
                out.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                out.append(character)
            }
        }
        if escaped { out.append("\\") }
        return out
    }
}
