/// A reference search value (R4 search 3.1.1.4.11): `Patient/123`, `123` (with the type from a
/// `:Patient` modifier, or any type), `Patient/123/_history/2`, an absolute URL, or a
/// canonical `url|version`. An absolute URL under the server's own base is the local
/// reference it names, because the index stores local references as type and id.
public struct ReferenceSearchValue: Sendable, Hashable {
    /// The resource type; nil when only an id was given without a type modifier.
    public let type: String?
    /// The logical id of a local reference; nil for a URL.
    public let id: String?
    /// An absolute URL that is not under the server's base (index: type "", id the URL),
    /// without a canonical's version.
    public let url: String?
    /// `_history/2` of a local reference, or the `|1.0` of a canonical.
    public let version: String?

    public init(type: String?, id: String?, url: String?, version: String?) {
        self.type = type
        self.id = id
        self.url = url
        self.version = version
    }

    /// - Parameters:
    ///   - typeModifier: the `:Type` modifier of the parameter, if any (already checked as a
    ///     name by the caller or not: it is checked here too).
    ///   - baseURL: the server's FHIR base (`https://host/fhir`), with or without a final slash.
    public static func parse(_ text: String, typeModifier: String? = nil,
                             baseURL: String? = nil) throws(SearchValueError) -> ReferenceSearchValue {
        if let typeModifier, !FHIRDefinitions.r4.isResourceType(typeModifier) {
            throw SearchValueError("unknown resource type \(SearchValueError.quote(typeModifier)) in the reference modifier")
        }
        let parts = SearchEscaping.split(text, on: "|").map(SearchEscaping.unescape)
        guard parts.count <= 2, let reference = parts.first, !reference.isEmpty else {
            throw SearchValueError("invalid reference \(SearchValueError.quote(text)): expected id, Type/id, "
                + "Type/id/_history/version, an absolute URL or url|version")
        }
        let canonicalVersion = parts.count == 2 ? parts[1] : nil

        if isAbsolute(reference) {
            if let base = baseURL.map(trimmingSlash), reference.hasPrefix(base + "/"), canonicalVersion == nil {
                let local = String(reference.dropFirst(base.count + 1))
                // Only Type/id (and its history) names a resource; `base/metadata` stays a URL.
                if local.contains("/"), let value = try? parseLocal(local, typeModifier: typeModifier) { return value }
            }
            if let canonicalVersion, canonicalVersion.isEmpty {
                throw SearchValueError("invalid canonical \(SearchValueError.quote(text)): the version after | is empty")
            }
            return ReferenceSearchValue(type: nil, id: nil, url: reference, version: canonicalVersion)
        }
        guard canonicalVersion == nil else {
            throw SearchValueError("invalid reference \(SearchValueError.quote(text)): only an absolute URL "
                + "(a canonical) may carry |version")
        }
        return try parseLocal(reference, typeModifier: typeModifier)
    }

    private static func parseLocal(_ text: String, typeModifier: String?) throws(SearchValueError) -> ReferenceSearchValue {
        let segments = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let type: String?
        let id: String
        var version: String?
        switch segments.count {
        case 1:
            type = typeModifier
            id = segments[0]
        case 2, 4:
            type = segments[0]
            id = segments[1]
            if segments.count == 4 {
                guard segments[2] == "_history", ResourceID.isValid(segments[3]) else {
                    throw SearchValueError("invalid reference \(SearchValueError.quote(text)): expected Type/id/_history/version")
                }
                version = segments[3]
            }
        default:
            throw SearchValueError("invalid reference \(SearchValueError.quote(text)): expected id, Type/id, "
                + "Type/id/_history/version, an absolute URL or url|version")
        }
        if let type, !FHIRDefinitions.r4.isResourceType(type) {
            throw SearchValueError("unknown resource type \(SearchValueError.quote(type)) in reference \(SearchValueError.quote(text))")
        }
        if let typeModifier, let type, type != typeModifier {
            throw SearchValueError("reference \(SearchValueError.quote(text)) names type \(type), "
                + "but the modifier asks for \(typeModifier)")
        }
        guard ResourceID.isValid(id) else {
            throw SearchValueError("invalid id in reference \(SearchValueError.quote(text)): "
                + "expected 1 to 64 of A-Z, a-z, 0-9, '-' and '.'")
        }
        return ReferenceSearchValue(type: type, id: id, url: nil, version: version)
    }

    /// A scheme followed by a colon (`http:`, `https:`, `urn:`, `urn:uuid:`): a URL rather
    /// than a relative reference (ids and type names never contain a colon).
    private static func isAbsolute(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else { return false }
        let scheme = text[..<colon]
        return scheme.first!.isLetter && scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
            && scheme.allSatisfy(\.isASCII)
    }

    private static func trimmingSlash(_ url: String) -> String {
        url.hasSuffix("/") ? String(url.dropLast()) : url
    }
}
