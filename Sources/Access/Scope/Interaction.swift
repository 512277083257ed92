/// What a request does to resources of a type, in SMART's terms (v2's `c r u d s`): each
/// FHIR interaction needs one of these on the types it touches.
public enum Interaction: String, Sendable, CaseIterable, Comparable {
    case create = "c"
    case read = "r"
    case update = "u"
    case delete = "d"
    case search = "s"

    public static func < (lhs: Interaction, rhs: Interaction) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// The word used in messages.
    public var word: String {
        switch self {
        case .create: "create"
        case .read: "read"
        case .update: "update"
        case .delete: "delete"
        case .search: "search"
        }
    }
}
