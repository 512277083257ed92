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

    /// The wall clock and random UUIDs.
    public static let live = RecordEnvironment(
        now: { FHIRInstant(millisecondsSince1970: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))) },
        newID: { UUID().uuidString.lowercased() }
    )
}
