/// Applying the six operations to a document. Each works on a copy of the document value;
/// the pointer walking they share is in `JSONPatch+Navigation.swift`.
extension JSONPatch {
    /// Applies every operation in order and returns the patched document, or throws the
    /// first failure (naming the operation's index and pointer) and returns nothing.
    public func apply(to document: JSON) throws(JSONPatchError) -> JSON {
        var result = document
        for (index, operation) in operations.enumerated() {
            do {
                try Self.apply(operation, to: &result)
            } catch {
                throw JSONPatchError(
                    operationIndex: index, operation: operation.name, member: error.member,
                    pointer: error.pointer.description, reason: error.reason)
            }
        }
        return result
    }

    /// A failure inside one operation; the caller adds the operation's index and name.
    struct Fault: Error {
        var reason: JSONPatchError.Reason
        var member: String
        var pointer: JSONPointer
    }

    private static func apply(_ operation: Operation, to document: inout JSON) throws(Fault) {
        switch operation {
        case .add(let path, let value):
            try add(value, at: path, member: "path", in: &document)

        case .remove(let path):
            _ = try remove(at: path, member: "path", in: &document)

        case .replace(let path, let value):
            if path.isRoot {
                document = value
                return
            }
            try at(path, member: "path") { () throws(Miss) in
                try modify(&document, at: path.tokens.dropLast(), missing: .targetNotFound) { container throws(Miss) in
                    try replaceChild(of: &container, token: path.tokens.last!, with: value)
                }
            }

        case .move(let from, let path):
            if from.isProperPrefix(of: path) {
                throw Fault(reason: .moveIntoOwnChild, member: "from", pointer: from)
            }
            if from == path {
                // Moving a value onto itself changes nothing, but the value must exist.
                _ = try lookup(from, member: "from", in: document)
                return
            }
            let value = try remove(at: from, member: "from", in: &document)
            try add(value, at: path, member: "path", in: &document)

        case .copy(let from, let path):
            let value = try lookup(from, member: "from", in: document)
            try add(value, at: path, member: "path", in: &document)

        case .test(let path, let value):
            let actual = try lookup(path, member: "path", in: document)
            guard valuesEqual(actual, value) else {
                throw Fault(reason: .testFailed, member: "path", pointer: path)
            }
        }
    }

    private static func add(_ value: JSON, at path: JSONPointer, member: String, in document: inout JSON) throws(Fault) {
        if path.isRoot {
            document = value
            return
        }
        let token = path.tokens.last!
        try at(path, member: member) { () throws(Miss) in
            try modify(&document, at: path.tokens.dropLast(), missing: .parentNotFound) { container throws(Miss) in
                switch container {
                case .object(let object):
                    var members = object.members
                    if let index = members.firstIndex(where: { JSONPointer.sameName($0.key, token) }) {
                        members[index].value = value
                    } else {
                        members.append(JSONMember(token, value))
                    }
                    container = .object(JSONObject(members))
                case .array(var array):
                    switch JSONPointer.arrayIndex(token) {
                    case nil:
                        throw Miss(reason: .invalidArrayIndex)
                    case .end?:
                        container = .null
                        array.append(value)
                    case .index(let index)?:
                        guard index <= array.count else { throw Miss(reason: .arrayIndexOutOfRange) }
                        container = .null
                        array.insert(value, at: index)
                    }
                    container = .array(array)
                default:
                    throw Miss(reason: .parentNotAContainer)
                }
            }
        }
    }

    /// Removes the value at `path` and returns it.
    private static func remove(at path: JSONPointer, member: String, in document: inout JSON) throws(Fault) -> JSON {
        guard let token = path.tokens.last else {
            throw Fault(reason: .cannotRemoveDocument, member: member, pointer: path)
        }
        var removed = JSON.null
        try at(path, member: member) { () throws(Miss) in
            try modify(&document, at: path.tokens.dropLast(), missing: .targetNotFound) { container throws(Miss) in
                switch container {
                case .object(let object):
                    var members = object.members
                    guard let index = members.firstIndex(where: { JSONPointer.sameName($0.key, token) }) else {
                        throw Miss(reason: .targetNotFound)
                    }
                    removed = members.remove(at: index).value
                    container = .object(JSONObject(members))
                case .array(var array):
                    let index = try existingIndex(token, in: array, missing: .targetNotFound)
                    container = .null
                    removed = array.remove(at: index)
                    container = .array(array)
                default:
                    throw Miss(reason: .targetNotFound)
                }
            }
        }
        return removed
    }

    /// Replaces the existing child `token` of `container`, keeping its place.
    private static func replaceChild(of container: inout JSON, token: String, with value: JSON) throws(Miss) {
        switch container {
        case .object(let object):
            var members = object.members
            guard let index = members.firstIndex(where: { JSONPointer.sameName($0.key, token) }) else {
                throw Miss(reason: .targetNotFound)
            }
            members[index].value = value
            container = .object(JSONObject(members))
        case .array(var array):
            let index = try existingIndex(token, in: array, missing: .targetNotFound)
            container = .null
            array[index] = value
            container = .array(array)
        default:
            throw Miss(reason: .targetNotFound)
        }
    }
}
