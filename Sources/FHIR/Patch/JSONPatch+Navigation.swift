/// Walking a JSON Pointer through a document, to read the value found there or to change
/// it in place, with the RFC 6901 rules for array indexes.
extension JSONPatch {
    /// A failure found while walking a pointer, before it is known which member it came from.
    struct Miss: Error {
        var reason: JSONPatchError.Reason
    }

    /// Runs `body`, turning a `Miss` into a `Fault` that names `pointer`.
    static func at<T>(
        _ pointer: JSONPointer, member: String, _ body: () throws(Miss) -> T
    ) throws(Fault) -> T {
        do {
            return try body()
        } catch {
            throw Fault(reason: error.reason, member: member, pointer: pointer)
        }
    }

    static func lookup(_ pointer: JSONPointer, member: String, in document: JSON) throws(Fault) -> JSON {
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

    /// The index of an existing element named by `token`; `-` and indexes past the end are
    /// `missing`, malformed indexes (`01`, `x`) are `invalidArrayIndex`.
    static func existingIndex(
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
    static func modify(
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
}
