/// String entries (R4 search 3.1.1.4.9): each text normalised (case and accents folded,
/// `SearchText.normalize`) beside the exact text, for the default starts-with match and
/// `:exact`. HumanName and Address give one entry per part.
extension SearchEntryCollector {
    mutating func addStrings(_ value: JSON, shape: IndexedShape, key: String) {
        switch shape {
        case .primitive:
            guard case .string(let text) = value else { return }
            addString(text, key: key)
        case .humanName:
            guard case .object(let name) = value else { return }
            addParts(of: name, Self.nameParts, key: key)
        case .address:
            guard case .object(let address) = value else { return }
            addParts(of: address, Self.addressParts, key: key)
        default:
            return
        }
    }

    private static let nameParts = ["family", "given", "prefix", "suffix", "text"]
    private static let addressParts = ["line", "city", "district", "state", "postalCode", "country", "text"]

    mutating func addString(_ text: String, key: String) {
        add(key, .string(normalized: SearchText.normalize(text), exact: text))
    }

    /// Each string member of `object` named in `members`, and each item of those that repeat.
    private mutating func addParts(of object: JSONObject, _ members: [String], key: String) {
        for member in object.members {
            guard members.contains(member.key) else { continue }
            switch member.value {
            case .string(let text):
                addString(text, key: key)
            case .array(let items):
                for case .string(let text) in items { addString(text, key: key) }
            default:
                continue
            }
        }
    }
}
