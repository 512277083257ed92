/// A storage failure: a public code a caller can act on, and a private detail for the
/// operator's log. Following PostgresNIO's `PSQLError`, `description` stays generic so SQL
/// arguments (which may hold health data) never leak into a response by accident.
public struct StorageError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case cannotOpen = "cannot-open"
        case migrationFailed = "migration-failed"
        case newerSchema = "newer-schema"
        case corrupt
        /// SQL that the engine refused (a fault in JoinedUp, not in the caller's input).
        case invalidStatement = "invalid-statement"
        case statementFailed = "statement-failed"
        /// A unique constraint held (two writers made the same row).
        case uniqueViolation = "unique-violation"
        /// The engine gave up a transaction to keep others consistent; it can be tried again.
        case conflict
    }

    public let code: Code
    /// For logs only, never for responses.
    public let detail: String

    public init(_ code: Code, detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "storage error: \(code.rawValue)" }
}
