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

    // MARK: - Operations

    /// A failure inside one operation; the caller adds the operation's index and name.
    struct Fault: Error {
        var reason: JSONPatchError.Reason
        var member: String
        var pointer: JSONPointer
    }

    /// A failure found while walking a pointer, before it is known which member it came from.
    struct Miss: Error {
        var reason: JSONPatchError.Reason
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

    /// Runs `body`, turning a `Miss` into a `Fault` that names `pointer`.
    private static func at<T>(
        _ pointer: JSONPointer, member: String, _ body: () throws(Miss) -> T
    ) throws(Fault) -> T {
        do {
            return try body()
        } catch {
            throw Fault(reason: error.reason, member: member, pointer: pointer)
        }
    }

    private static func lookup(_ pointer: JSONPointer, member: String, in document: JSON) throws(Fault) -> JSON {
        try at(pointer, member: member) { () throws(Miss) -> JSON in
            var current = document
            for token in pointer.tokens {
                switch current {
                case .object(let object):
                    guard let found = object.members.first(where: { JSONPointer.sameName($0.key, token) }) else {
                        throw Miss(reason: .targetNotFound)
                    }
                    current = found.value
                case .array(let array):
                    current = array[try existingIndex(token, in: array, missing: .targetNotFound)]
                default:
                    throw Miss(reason: .targetNotFound)
                }
            }
            return current
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

    /// The index of an existing element named by `token`; `-` and indexes past the end are
    /// `missing`, malformed indexes (`01`, `x`) are `invalidArrayIndex`.
    private static func existingIndex(
        _ token: String, in array: [JSON], missing: JSONPatchError.Reason
    ) throws(Miss) -> Int {
        switch JSONPointer.arrayIndex(token) {
        case nil: throw Miss(reason: .invalidArrayIndex)
        case .end?: throw Miss(reason: missing)
        case .index(let index)?:
            guard index < array.count else { throw Miss(reason: missing) }
            return index
        }
    }

    /// Walks `tokens` down from `value` and runs `body` on the value found there, in place.
    /// Each container on the way is taken out of its parent while it changes, so the change
    /// does not copy more than the containers on the path.
    private static func modify(
        _ value: inout JSON, at tokens: ArraySlice<String>, missing: JSONPatchError.Reason,
        _ body: (inout JSON) throws(Miss) -> Void
    ) throws(Miss) {
        guard let token = tokens.first else {
            try body(&value)
            return
        }
        switch value {
        case .object(let object):
            var members = object.members
            guard let index = members.firstIndex(where: { JSONPointer.sameName($0.key, token) }) else {
                throw Miss(reason: missing)
            }
            value = .null
            try modify(&members[index].value, at: tokens.dropFirst(), missing: missing, body)
            value = .object(JSONObject(members))
        case .array(var array):
            let index = try existingIndex(token, in: array, missing: missing)
            value = .null
            try modify(&array[index], at: tokens.dropFirst(), missing: missing, body)
            value = .array(array)
        default:
            throw Miss(reason: missing)
        }
    }

    // MARK: - Equality for `test`

    /// JSON equality as RFC 6902 section 4.6 defines it: numbers by numeric value (`1`,
    /// `1.0` and `1e0` are equal, compared exactly on the decimal text, never through a
    /// Double), strings by code points, arrays element by element, objects by their members
    /// whatever their order.
    static func valuesEqual(_ a: JSON, _ b: JSON) -> Bool {
        switch (a, b) {
        case (.null, .null):
            return true
        case (.bool(let x), .bool(let y)):
            return x == y
        case (.number(let x), .number(let y)):
            return numbersEqual(x, y)
        case (.string(let x), .string(let y)):
            return x.utf8.elementsEqual(y.utf8)
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { valuesEqual($0, $1) }
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            return x.members.allSatisfy { member in
                guard let other = y.members.first(where: { JSONPointer.sameName($0.key, member.key) }) else {
                    return false
                }
                return valuesEqual(member.value, other.value)
            }
        default:
            return false
        }
    }

    static func numbersEqual(_ x: String, _ y: String) -> Bool {
        if x == y { return true }
        guard let a = DecimalText(x), let b = DecimalText(y) else { return false }
        return a == b
    }
}

/// A JSON number reduced to sign, significant digits and exponent, so that numerically
/// equal literals (`1`, `1.0`, `10e-1`, `-0` and `0`) compare equal. The value is
/// `0.digits × 10^exponent`.
struct DecimalText: Equatable {
    var negative: Bool
    var digits: [UInt8]
    var exponent: Int

    /// Nil when `text` is not a JSON number, or its exponent is too large to hold.
    init?(_ text: String) {
        let bytes = Array(text.utf8)
        var index = 0
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        func digitRun() -> ArraySlice<UInt8> {
            let start = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            return bytes[start..<index]
        }
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let integer = digitRun()
        guard !integer.isEmpty else { return nil }
        var fraction: ArraySlice<UInt8> = []
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            fraction = digitRun()
            guard !fraction.isEmpty else { return nil }
        }
        var exponent = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var exponentNegative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            let run = digitRun().drop(while: { $0 == UInt8(ascii: "0") })
            if run.isEmpty {
                exponent = 0
            } else {
                guard run.count <= 15, let value = Int(String(decoding: run, as: UTF8.self)) else { return nil }
                exponent = exponentNegative ? -value : value
            }
        }
        guard index == bytes.count else { return nil }

        var all = Array(integer) + Array(fraction)
        var pointPosition = integer.count
        let leadingZeros = all.prefix(while: { $0 == UInt8(ascii: "0") }).count
        all.removeFirst(leadingZeros)
        pointPosition -= leadingZeros
        while all.last == UInt8(ascii: "0") { all.removeLast() }
        if all.isEmpty {
            self.negative = false
            self.digits = []
            self.exponent = 0
        } else {
            self.negative = negative
            self.digits = all
            self.exponent = pointPosition + exponent
        }
    }
}
