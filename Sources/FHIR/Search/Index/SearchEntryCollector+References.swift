/// Reference entries (R4 search 3.1.1.4.12). A local reference `Type/id` (a version
/// `/_history/n` dropped) is type and id; an absolute URL is type "" and the URL, and the query
/// side decides whether it names a local resource. Contained (`#id`), `urn:uuid:`
/// (unresolved bundle-internal) and conditional references are not indexed.
/// `Reference.identifier` goes under `code:identifier`.
///
/// When the path names target types (`.where(resolve() is Patient)`), a reference counts only
/// if its type is established (from the reference text, else `Reference.type`) and listed, as
/// FHIRPath's `resolve()` would find nothing for a reference of unknown type.
extension SearchEntryCollector {
    mutating func addReferences(_ value: JSON, path: CompiledPath, keys: EntryKeys) {
        switch path.shape {
        case .reference:
            guard case .object(let reference) = value else { return }
            addReference(reference, targets: path.targetTypes, keys: keys)
        case .primitive(.canonical), .primitive(.uri), .primitive(.url):
            guard case .string(let text) = value else { return }
            addCanonical(text, targets: path.targetTypes, key: keys.code)
        default:
            return
        }
    }

    private mutating func addReference(_ reference: JSONObject, targets: [String]?, keys: EntryKeys) {
        var entry: SearchIndexValue?
        var type: Substring?
        if let literal = reference.indexString("reference") {
            switch ReferenceText.parse(literal, resourceTypes: resourceTypes) {
            case .local(let localType, let id)?:
                entry = .reference(type: String(localType), id: String(id))
                type = localType
            case .absolute(let url, let urlType)?:
                entry = .reference(type: "", id: url)
                type = urlType
            case nil:
                break
            }
        }
        if type == nil, let declared = reference.indexString("type") {
            type = ReferenceText.typeName(declared)
        }
        if let targets {
            guard let type, targets.contains(where: { $0 == type }) else { return }
        }
        if let entry { add(keys.code, entry) }
        if keepsDerived, case .object(let identifier)? = reference["identifier"],
           let text = identifier.indexString("value") {
            add(keys.identifier, .token(system: identifier.indexString("system") ?? "", code: text))
        }
    }

    /// A canonical (or uri) value of a reference parameter: the URL without its `|version`;
    /// a relative `Type/id` is also indexed as the local reference it names.
    private mutating func addCanonical(_ text: String, targets: [String]?, key: String) {
        let url = text.firstIndex(of: "|").map { String(text[..<$0]) } ?? text
        switch ReferenceText.parse(url, resourceTypes: resourceTypes) {
        case .local(let type, let id)?:
            if let targets, !targets.contains(where: { $0 == type }) { return }
            add(key, .reference(type: String(type), id: String(id)))
            add(key, .reference(type: "", id: url))
        case .absolute(_, let type)?:
            if let targets {
                guard let type, targets.contains(where: { $0 == type }) else { return }
            }
            add(key, .reference(type: "", id: url))
        case nil:
            return
        }
    }
}

/// The forms of a reference's text that the index understands.
enum ReferenceText {
    enum Parsed: Equatable {
        /// `Type/id` with a known resource type.
        case local(type: Substring, id: Substring)
        /// An absolute URL (a version `/_history/n` dropped), with the resource type its tail
        /// names when it ends in `Type/id` of a known type.
        case absolute(url: String, type: Substring?)
    }

    /// Nil for contained (`#id`), `urn:uuid:`, conditional (`Type?query`) and malformed text.
    static func parse(_ text: String, resourceTypes: Set<String>) -> Parsed? {
        let utf8 = text.utf8
        guard let first = utf8.first, first != UInt8(ascii: "#") else { return nil }
        if utf8.contains(UInt8(ascii: "?")) { return nil }
        if utf8.contains(UInt8(ascii: ":")) {
            if text.hasPrefix("urn:uuid:") { return nil }
            return absolute(text, resourceTypes: resourceTypes)
        }
        guard let (type, id, _) = typeAndID(text[...], resourceTypes: resourceTypes) else { return nil }
        return .local(type: type, id: id)
    }

    /// `Type/id` or `Type/id/_history/n` with a known type: the type, the id, and whether a
    /// version followed.
    static func typeAndID(
        _ text: Substring, resourceTypes: Set<String>
    ) -> (type: Substring, id: Substring, versioned: Bool)? {
        guard let slash = text.firstIndex(of: "/") else { return nil }
        let type = text[..<slash]
        let rest = text[text.index(after: slash)...]
        guard !type.isEmpty, !rest.isEmpty, resourceTypes.contains(String(type)) else { return nil }
        guard let next = rest.firstIndex(of: "/") else { return (type, rest, false) }
        let id = rest[..<next]
        let history = rest[rest.index(after: next)...]
        guard !id.isEmpty, history.hasPrefix("_history/") else { return nil }
        let version = history.dropFirst("_history/".count)
        guard !version.isEmpty, !version.contains("/") else { return nil }
        return (type, id, true)
    }

    /// An absolute URL; when it ends in `Type/id[/_history/n]`, the version is dropped and
    /// the type kept.
    private static func absolute(_ text: String, resourceTypes: Set<String>) -> Parsed {
        var segments = text.split(separator: "/", omittingEmptySubsequences: false).suffix(4)
        var versioned = false
        if segments.count == 4, segments[segments.startIndex + 2] == "_history" {
            versioned = true
            segments = segments.prefix(2)
        } else {
            segments = segments.suffix(2)
        }
        guard segments.count == 2, let type = segments.first, let id = segments.last,
              !id.isEmpty, resourceTypes.contains(String(type))
        else { return .absolute(url: text, type: nil) }
        if versioned {
            return .absolute(url: String(text[..<id.endIndex]), type: type)
        }
        return .absolute(url: text, type: type)
    }

    /// The resource type named by `Reference.type` (`Patient`, or a StructureDefinition URL
    /// ending in it).
    static func typeName(_ declared: String) -> Substring {
        if let slash = declared.lastIndex(of: "/") { return declared[declared.index(after: slash)...] }
        return declared[...]
    }
}
