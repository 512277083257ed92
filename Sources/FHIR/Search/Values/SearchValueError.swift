/// Why a search value from the query could not be read. The App turns it into a 400
/// OperationOutcome. The message says what is wrong and what was expected; it quotes at most
/// 40 characters of the value, so a hostile or huge parameter is never reflected in full.
public struct SearchValueError: Error, Sendable, Hashable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    /// The value in quotes, cut to 40 characters (with an ellipsis) for use in a message.
    static func quote(_ value: some StringProtocol) -> String {
        let limit = 40
        if value.count <= limit { return "'\(value)'" }
        return "'\(value.prefix(limit))…'"
    }
}
