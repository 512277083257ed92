import CareRecord
import HTTPTypes

/// What a request under `/fhir` asks, read from its method and path alone, before any route
/// runs: so that a request refused at the door (no token, a forged one, a URL no route
/// knows) is recorded as what it tried to do. The codes are FHIR's restful-interaction
/// codes, the actions AuditEvent's (R read, E execute: searches, operations, bundles).
struct AuditedInteraction {
    let interaction: String
    let action: String
    /// The resource the URL names (its version for a vread), or the patient whose
    /// compartment it searches.
    let entities: [AuditEntity]

    /// The most of a path or query an entry keeps: enough for any URL this server answers,
    /// bounded so that hostile URLs cannot swell the log.
    static let keptLength = 2048

    init(method: HTTPRequest.Method, path: String) {
        let segments = Array(path.split(separator: "/").dropFirst())
        func entity(_ count: Int) -> [AuditEntity] {
            guard segments.count >= 2 else { return [] }
            let version = count == 4 ? Int(segments[3]) : nil
            return [AuditEntity(String(segments[0].prefix(64)), String(segments[1].prefix(64)), version: version)]
        }
        switch (method, segments.count) {
        case (.get, 0): (interaction, action, entities) = ("search-system", "E", [])
        case (.post, 0): (interaction, action, entities) = ("batch", "E", [])
        case (.post, 1) where segments[0] == "_search": (interaction, action, entities) = ("search-system", "E", [])
        case (.get, 1) where segments[0] == "_history": (interaction, action, entities) = ("history-system", "R", [])
        case (.get, 1) where segments[0] == "$break-glass-grants": (interaction, action, entities) = ("$break-glass-grants", "E", [])
        case (.get, 1): (interaction, action, entities) = ("search-type", "E", [])
        case (.post, 1): (interaction, action, entities) = ("create", "C", [])
        case (.put, 1): (interaction, action, entities) = ("update", "U", [])
        case (.delete, 1): (interaction, action, entities) = ("delete", "D", [])
        case (.post, 2) where segments[1] == "_search": (interaction, action, entities) = ("search-type", "E", [])
        case (.get, 2) where segments[1] == "_history": (interaction, action, entities) = ("history-type", "R", [])
        case (.get, 2) where segments[1] == "$everything": (interaction, action, entities) = ("$everything", "E", [])
        case (.get, 2): (interaction, action, entities) = ("read", "R", entity(2))
        case (.put, 2): (interaction, action, entities) = ("update", "U", entity(2))
        case (.patch, 2): (interaction, action, entities) = ("patch", "U", entity(2))
        case (.delete, 2): (interaction, action, entities) = ("delete", "D", entity(2))
        case (.post, 3) where segments[2] == "$break-glass": (interaction, action, entities) = ("$break-glass", "E", entity(3))
        case (.get, 3) where segments[2] == "_history": (interaction, action, entities) = ("history-instance", "R", entity(3))
        case (.get, 3) where segments[2] == "$everything": (interaction, action, entities) = ("$everything", "E", entity(3))
        case (.get, 3): (interaction, action, entities) = ("search-type", "E", entity(3))
        case (.get, 4) where segments[2] == "_history": (interaction, action, entities) = ("vread", "R", entity(4))
        default: (interaction, action, entities) = ("unknown", "E", [])
        }
    }
}
