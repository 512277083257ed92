/// Names one logical resource: its type and id, as in `Patient/123`.
public struct ResourceKey: Sendable, Hashable, CustomStringConvertible {
    public let type: String
    public let id: String

    public init(_ type: String, _ id: String) {
        self.type = type
        self.id = id
    }

    /// Parses `Type/id`; nil for anything else.
    public init?(reference: String) {
        let parts = reference.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        self.init(String(parts[0]), String(parts[1]))
    }

    public var description: String { "\(type)/\(id)" }
}
