import FHIR

/// One SMART on FHIR resource scope: `patient/Observation.read`, `user/*.write`,
/// `system/*.*` (version 1) or `user/Observation.rs` (version 2's letters, in the order
/// `cruds`). Scopes that grant no resource access (`openid`, `fhirUser`, `launch/patient`,
/// `offline_access`) are read as nothing; a resource scope that is malformed or names a type
/// FHIR R4 does not have makes the whole token invalid, so a typo never widens or silently
/// narrows what someone may do.
public struct Scope: Sendable, Hashable, CustomStringConvertible {
    /// Whose resources: the patient in the token's context, any the user may see, or all (a
    /// system acting for itself).
    public enum Context: String, Sendable, Hashable {
        case patient, user, system
    }

    public let context: Context
    /// nil for `*`, every type.
    public let type: String?
    public let interactions: Set<Interaction>

    public init(context: Context, type: String?, interactions: Set<Interaction>) {
        self.context = context
        self.type = type
        self.interactions = interactions
    }

    public var description: String {
        let letters = interactions.sorted().map(\.rawValue).joined()
        return "\(context.rawValue)/\(type ?? "*").\(letters)"
    }

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case malformed(String)
        case unknownType(String)

        public var description: String {
            switch self {
            case .malformed(let scope): "'\(scope.prefix(80))' is not a SMART resource scope"
            case .unknownType(let type): "'\(type.prefix(80))' in a scope is not a FHIR R4 resource type"
            }
        }
    }

    /// The resource scopes of a `scope` claim (space-separated).
    public static func parseAll(_ claim: String) throws -> [Scope] {
        try claim.split(separator: " ").compactMap { try parse($0) }
    }

    /// A resource scope, nil for a scope that grants no resource access.
    static func parse(_ text: Substring) throws -> Scope? {
        guard let slash = text.firstIndex(of: "/") else { return nil }
        guard let context = Context(rawValue: String(text[..<slash])) else {
            // `launch/patient` and the like: context requests, not resource access.
            if text.hasPrefix("launch/") { return nil }
            throw ParseError.malformed(String(text))
        }
        let rest = text[text.index(after: slash)...]
        guard let dot = rest.lastIndex(of: "."), !rest[..<dot].isEmpty else { throw ParseError.malformed(String(text)) }
        let typeText = String(rest[..<dot])
        var permission = rest[rest.index(after: dot)...]
        // Version 2 may narrow a scope with a query (`?category=...`); not honoured here, so
        // refused rather than read as the wider scope.
        if permission.contains("?") { throw ParseError.malformed(String(text)) }
        let type: String? = typeText == "*" ? nil : typeText
        if let type, !FHIRDefinitions.r4.isResourceType(type) { throw ParseError.unknownType(type) }
        let interactions: Set<Interaction>
        switch permission {
        case "read": interactions = [.read, .search]
        case "write": interactions = [.create, .update, .delete]
        case "*": interactions = Set(Interaction.allCases)
        default:
            var letters: [Interaction] = []
            while let first = permission.first, let interaction = Interaction(rawValue: String(first)) {
                letters.append(interaction)
                permission = permission.dropFirst()
            }
            guard permission.isEmpty, !letters.isEmpty, letters == letters.sorted(), Set(letters).count == letters.count else {
                throw ParseError.malformed(String(text))
            }
            interactions = Set(letters)
        }
        return Scope(context: context, type: type, interactions: interactions)
    }

    /// Whether this scope lets its holder do `interaction` on `type`.
    public func allows(_ interaction: Interaction, on type: String) -> Bool {
        (self.type == nil || self.type == type) && interactions.contains(interaction)
    }
}
