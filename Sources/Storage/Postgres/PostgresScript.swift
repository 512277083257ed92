/// Splits a script of several statements (a migration) into single statements: PostgresNIO
/// sends each query through the extended protocol, which takes one statement at a time.
/// Semicolons inside quotes, dollar-quoted bodies and comments do not split.
enum PostgresScript {
    static func statements(_ script: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var quote: Character?
        var dollarTag: String?
        var lineComment = false
        var index = script.startIndex
        while index < script.endIndex {
            let character = script[index]
            let rest = script[index...]
            if lineComment {
                if character == "\n" { lineComment = false }
            } else if let tag = dollarTag {
                if rest.hasPrefix(tag) {
                    current += tag
                    index = script.index(index, offsetBy: tag.count)
                    dollarTag = nil
                    continue
                }
            } else if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "-", rest.hasPrefix("--") {
                lineComment = true
            } else if character == "$", let end = rest.dropFirst().firstIndex(of: "$"),
                      rest[rest.index(after: rest.startIndex)..<end].allSatisfy({ $0.isLetter || $0 == "_" }) {
                let tag = String(rest[...end])
                current += tag
                index = script.index(after: end)
                dollarTag = tag
                continue
            } else if character == ";" {
                append(&statements, current)
                current = ""
                index = script.index(after: index)
                continue
            }
            current.append(character)
            index = script.index(after: index)
        }
        append(&statements, current)
        return statements
    }

    private static func append(_ statements: inout [String], _ statement: String) {
        let trimmed = statement.trimmingCharacters(in: .whitespacesAndNewlines)
        let meaningful = trimmed.split(separator: "\n").contains { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
        if meaningful { statements.append(trimmed) }
    }
}

import Foundation
