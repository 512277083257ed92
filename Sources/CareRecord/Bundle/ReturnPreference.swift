/// The `Prefer: return=` choice: what a write answers with.
public enum ReturnPreference: String, Sendable, Hashable {
    case minimal
    case representation
    case operationOutcome = "OperationOutcome"
}
