/// The FHIR logical id rule: 1 to 64 of `A-Z a-z 0-9 - .`.
public enum ResourceID {
    public static func isValid(_ id: some StringProtocol) -> Bool {
        let utf8 = id.utf8
        guard !utf8.isEmpty, utf8.count <= 64 else { return false }
        return utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x2E
        }
    }
}
