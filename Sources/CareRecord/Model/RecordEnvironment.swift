import FHIR
import Foundation

/// Time and identity, injected so that tests and the synthetic area are deterministic.
public struct RecordEnvironment: Sendable {
    /// The current time.
    public var now: @Sendable () -> FHIRInstant
    /// A fresh logical id for a server-assigned create.
    public var newID: @Sendable () -> String

    public init(now: @escaping @Sendable () -> FHIRInstant, newID: @escaping @Sendable () -> String) {
        self.now = now
        self.newID = newID
    }

    /// The wall clock and time-ordered random UUIDs (version 7; see `RandomID`).
    public static let live = RecordEnvironment(
        now: { wallClock() },
        newID: { RandomID.uuidV7(millisecondsSince1970: wallClock().millisecondsSince1970) }
    )

    /// The time now. The audit log's clock always: its entries say when things happened, and
    /// a test's record clock, which ticks per write, is not theirs to advance.
    public static func wallClock() -> FHIRInstant {
        FHIRInstant(millisecondsSince1970: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
