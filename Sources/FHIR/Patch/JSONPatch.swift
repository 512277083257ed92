/// An RFC 6902 JSON Patch: a list of operations applied in order to a JSON document, as
/// FHIR's PATCH interaction accepts with `Content-Type: application/json-patch+json`.
///
/// Applying is atomic: either every operation succeeds and the patched document is returned,
/// or the first failure is thrown and nothing else comes back (the input is a value and is
/// never changed).
public struct JSONPatch: Sendable, Hashable {
    public enum Operation: Sendable, Hashable {
        case add(path: JSONPointer, value: JSON)
        case remove(path: JSONPointer)
        case replace(path: JSONPointer, value: JSON)
        case move(from: JSONPointer, path: JSONPointer)
        case copy(from: JSONPointer, path: JSONPointer)
        case test(path: JSONPointer, value: JSON)

        /// The `op` member's value for this operation.
        public var name: String {
            switch self {
            case .add: "add"
            case .remove: "remove"
            case .replace: "replace"
            case .move: "move"
            case .copy: "copy"
            case .test: "test"
            }
        }

        public var path: JSONPointer {
            switch self {
            case .add(let path, _), .remove(let path), .replace(let path, _), .test(let path, _): path
            case .move(_, let path), .copy(_, let path): path
            }
        }
    }

    public var operations: [Operation]

    public init(_ operations: [Operation]) {
        self.operations = operations
    }
}
