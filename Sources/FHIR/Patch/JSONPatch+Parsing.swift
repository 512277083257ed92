/// Reading a patch document into operations, so that a malformed patch is refused whole,
/// naming the operation and member at fault, before anything is applied.
extension JSONPatch {
    /// Reads a patch document: an array of operation objects, each with an `op` of add,
    /// remove, replace, move, copy or test, a `path`, and the `from` or `value` its operation
    /// needs. Other members are ignored, as RFC 6902 section 4 requires.
    public init(json: JSON) throws(JSONPatchError) {
        guard case .array(let elements) = json else {
            throw JSONPatchError(reason: .patchNotAnArray)
        }
        var operations: [Operation] = []
        operations.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            operations.append(try Self.readOperation(element, index: index))
        }
        self.operations = operations
    }

    private static func readOperation(_ element: JSON, index: Int) throws(JSONPatchError) -> Operation {
        guard case .object(let object) = element else {
            throw JSONPatchError(operationIndex: index, reason: .operationNotAnObject)
        }
        guard let opMember = object["op"] else {
            throw JSONPatchError(operationIndex: index, reason: .missingMember("op"))
        }
        guard case .string(let op) = opMember else {
            throw JSONPatchError(operationIndex: index, reason: .memberNotAString("op"))
        }
        let knownOps = ["add", "remove", "replace", "move", "copy", "test"]
        guard let name = knownOps.first(where: { JSONPointer.sameName($0, op) }) else {
            throw JSONPatchError(operationIndex: index, reason: .unknownOperation)
        }

        func pointer(_ member: String) throws(JSONPatchError) -> JSONPointer {
            guard let value = object[member] else {
                throw JSONPatchError(operationIndex: index, operation: name, reason: .missingMember(member))
            }
            guard case .string(let text) = value else {
                throw JSONPatchError(operationIndex: index, operation: name, reason: .memberNotAString(member))
            }
            do {
                return try JSONPointer(text)
            } catch {
                // The text is not a pointer, so it is not repeated: it may be anything.
                throw JSONPatchError(
                    operationIndex: index, operation: name, member: member, reason: .invalidPointer(error))
            }
        }
        func value() throws(JSONPatchError) -> JSON {
            guard let value = object["value"] else {
                throw JSONPatchError(operationIndex: index, operation: name, reason: .missingMember("value"))
            }
            return value
        }

        let path = try pointer("path")
        switch name {
        case "add": return .add(path: path, value: try value())
        case "remove": return .remove(path: path)
        case "replace": return .replace(path: path, value: try value())
        case "move": return .move(from: try pointer("from"), path: path)
        case "copy": return .copy(from: try pointer("from"), path: path)
        default: return .test(path: path, value: try value())
        }
    }
}
