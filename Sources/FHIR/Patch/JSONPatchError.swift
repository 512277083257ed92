/// Why a JSON Patch could not be read or applied: which operation (its 0-based index in the
/// patch array), which pointer, and what went wrong. Like `JSONParseError` it never quotes
/// values from the document or the patch, which may hold health data; it names only the
/// operation, the member and the pointer (a path of element names and indexes).
public struct JSONPatchError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        // The patch document is malformed.
        /// The patch document is not a JSON array.
        case patchNotAnArray
        /// An element of the patch array is not an object.
        case operationNotAnObject
        /// A member the operation requires (`op`, `path`, `from` or `value`) is absent.
        case missingMember(String)
        /// `op`, `path` or `from` is not a string.
        case memberNotAString(String)
        /// `op` is not one of add, remove, replace, move, copy, test.
        case unknownOperation
        /// `path` or `from` is not a JSON Pointer (see `member`).
        case invalidPointer(JSONPointerError)

        // The patch is well formed but cannot be applied to this document.
        /// The location does not exist (remove, replace, test, and the `from` of move and copy).
        case targetNotFound
        /// The container the value would be added to does not exist.
        case parentNotFound
        /// The container the value would be added to is a string, number, boolean or null.
        case parentNotAContainer
        /// A token applied to an array is not an index or `-` (`01`, `x`, `1.0`). A `-` or
        /// an index past the end where an existing element is needed is `targetNotFound`
        /// (or `parentNotFound` on the way to an `add`).
        case invalidArrayIndex
        /// An `add` index is greater than the array's length.
        case arrayIndexOutOfRange
        /// `remove` (or `move`) of the whole document.
        case cannotRemoveDocument
        /// `move` whose `from` location is a proper prefix of its `path`.
        case moveIntoOwnChild
        /// A `test` operation found a different value.
        case testFailed

        public var message: String {
            switch self {
            case .patchNotAnArray: "the JSON Patch document must be an array of operations"
            case .operationNotAnObject: "the operation is not a JSON object"
            case .missingMember(let name): "the operation has no '\(name)' member"
            case .memberNotAString(let name): "the operation's '\(name)' member is not a string"
            case .unknownOperation: "'op' is not one of add, remove, replace, move, copy, test"
            case .invalidPointer(let error): "invalid JSON Pointer: \(error)"
            case .targetNotFound: "the target location does not exist"
            case .parentNotFound: "the parent of the target location does not exist"
            case .parentNotAContainer: "the parent of the target location is not an object or an array"
            case .invalidArrayIndex: "the location names an array element with a token that is not a valid index"
            case .arrayIndexOutOfRange: "the array index is greater than the array's length"
            case .cannotRemoveDocument: "the whole document cannot be removed"
            case .moveIntoOwnChild: "a value cannot be moved into one of its own children"
            case .testFailed: "the value at the target location is not equal to the test value"
            }
        }

        /// True for faults in the patch document itself (HTTP 400), false for a well-formed
        /// patch that does not apply to this document (HTTP 422).
        public var isMalformedPatch: Bool {
            switch self {
            case .patchNotAnArray, .operationNotAnObject, .missingMember, .memberNotAString, .unknownOperation,
                .invalidPointer:
                true
            default:
                false
            }
        }
    }

    /// The 0-based index of the failing operation; nil when the patch as a whole is wrong.
    public var operationIndex: Int?
    /// The failing operation's `op`, when it is a known one.
    public var operation: String?
    /// Which member held the pointer: `path` or `from`.
    public var member: String?
    /// The pointer the failure concerns, in its text form; nil when it did not parse.
    public var pointer: String?
    public var reason: Reason

    public init(
        operationIndex: Int? = nil, operation: String? = nil, member: String? = nil, pointer: String? = nil,
        reason: Reason
    ) {
        self.operationIndex = operationIndex
        self.operation = operation
        self.member = member
        self.pointer = pointer
        self.reason = reason
    }

    public var description: String {
        var text = "JSON Patch"
        if let operationIndex {
            text += " operation \(operationIndex)"
            if let operation { text += " (\(operation))" }
        }
        if let member {
            text += ", '\(member)'"
            if let pointer { text += " \"\(Self.shortened(pointer))\"" }
        }
        return text + ": " + reason.message
    }

    /// An OperationOutcome issue for this failure: `invalid` for a malformed patch,
    /// `processing` for one that does not apply to the resource.
    public var issue: FHIRIssue {
        FHIRIssue(.error, reason.isMalformedPatch ? .invalid : .processing, description)
    }

    /// Keeps diagnostics small when a pointer is absurdly long.
    private static func shortened(_ pointer: String) -> String {
        let limit = 200
        guard pointer.unicodeScalars.count > limit else { return pointer }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: pointer.unicodeScalars.prefix(limit))
        return String(scalars) + "…"
    }
}
