import FHIR

/// Rewrites `Reference.reference` values inside a resource: an entry's `fullUrl`
/// (`urn:uuid:...`) becomes the `Type/id` it was given, and a conditional reference
/// (`Patient?identifier=...`) becomes the one resource it matches.
struct ReferenceRewriter {
    /// The `Type/id` a fullUrl of the bundle was given, if any.
    let identity: (String) throws -> String?
    /// Resolves a conditional reference to `Type/id`, throwing unless exactly one matches.
    let resolveConditional: (String) throws -> String
    /// In a bundle an unknown `urn:uuid` is an error; in a single resource it is left as is.
    var refusesUnknownURNs = true

    /// Whether `object` holds any reference this rewriter would change: a read-only walk
    /// that allocates nothing, so resources without such references cost almost nothing.
    func needsRewrite(_ value: JSON) throws -> Bool {
        try Self.anyReference(in: value) { reference in
            if Self.isConditional(reference) || (refusesUnknownURNs && reference.hasPrefix("urn:uuid:")) { return true }
            return try identity(reference) != nil
        }
    }

    /// Whether `value` holds a conditional reference anywhere: what a single resource's
    /// writer would have to resolve. Needs no store, so a bulk import asks it ahead.
    static func holdsConditionalReference(_ value: JSON) -> Bool {
        anyReference(in: value, where: isConditional)
    }

    /// Whether any `reference` string inside `value` passes `test`.
    private static func anyReference(in value: JSON, where test: (String) throws -> Bool) rethrows -> Bool {
        switch value {
        case .object(let object):
            try object.contains { member in
                if member.key == "reference", case .string(let reference) = member.value { return try test(reference) }
                return try anyReference(in: member.value, where: test)
            }
        case .array(let elements): try elements.contains { try anyReference(in: $0, where: test) }
        default: false
        }
    }

    static func isConditional(_ reference: String) -> Bool {
        guard let question = reference.firstIndex(of: "?"), !reference.hasPrefix("#") else { return false }
        return !reference[..<question].contains("://")
    }

    /// Rewrites in place; returns how many references changed.
    func rewrite(_ object: inout JSONObject, location: String) throws -> Int {
        guard try needsRewrite(.object(object)) else { return 0 }
        var json = JSON.object(object)
        let changed = try rewrite(&json, location: location)
        object = json.objectValue ?? object
        return changed
    }

    private func rewrite(_ json: inout JSON, location: String) throws -> Int {
        switch json {
        case .object(var object):
            var changed = 0
            for member in object.members {
                let path = "\(location).\(member.key)"
                if member.key == "reference", case .string(let reference) = member.value {
                    if let replacement = try replacement(for: reference, location: path) {
                        object[member.key] = .string(replacement)
                        changed += 1
                    }
                } else if member.value.isContainer {
                    var value = member.value
                    let count = try rewrite(&value, location: path)
                    if count > 0 {
                        object[member.key] = value
                        changed += count
                    }
                }
            }
            json = .object(object)
            return changed
        case .array(var elements):
            var changed = 0
            for index in elements.indices where elements[index].isContainer {
                changed += try rewrite(&elements[index], location: "\(location)[\(index)]")
            }
            json = .array(elements)
            return changed
        default:
            return 0
        }
    }

    private func replacement(for reference: String, location: String) throws -> String? {
        if let identity = try identity(reference) { return identity }
        if refusesUnknownURNs, reference.hasPrefix("urn:uuid:") {
            throw RecordError(.invalid, .notFound, "the reference names a urn:uuid that no entry of the bundle has as fullUrl",
                              at: [location])
        }
        if Self.isConditional(reference) {
            do {
                return try resolveConditional(reference)
            } catch let error as RecordError {
                throw RecordError(error.kind, error.issues.map { issue in
                    var issue = issue
                    if issue.expression.isEmpty { issue.expression = [location] }
                    return issue
                })
            }
        }
        return nil
    }
}

private extension JSON {
    var isContainer: Bool {
        switch self {
        case .object, .array: true
        default: false
        }
    }
}
