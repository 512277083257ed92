/// Reads the version out of a FHIR ETag (`W/"3"`, or `"3"` as some clients send it).
public enum ETag {
    public static func version(_ text: String) -> Int? {
        var body = Substring(text.trimmingCharacters(in: " "))
        if body.hasPrefix("W/") { body = body.dropFirst(2) }
        guard body.count >= 3, body.first == "\"", body.last == "\"" else { return nil }
        guard let version = Int(body.dropFirst().dropLast()), version > 0 else { return nil }
        return version
    }
}

private extension String {
    func trimmingCharacters(in character: Character) -> String {
        var text = Substring(self)
        while text.first == character { text = text.dropFirst() }
        while text.last == character { text = text.dropLast() }
        return String(text)
    }
}
