import FHIR
import Storage

/// Chained parameters (`subject:Patient.name=peter`, forward through a reference) and
/// reverse chaining (`_has:Observation:subject:code=1234`, back along references to the
/// resources searched). Inside a chain an unknown parameter is an error, never ignored: a
/// chain that cannot be followed is a question the server cannot answer.
extension SearchQueryParser {
    func chain(head: String, rest: String, _ value: String, on types: [String], depth: Int,
               fullName: String) throws -> RidSet {
        guard depth < Self.maximumChainDepth else {
            throw Self.error(fullName, "a chain may have at most \(Self.maximumChainDepth) links")
        }
        let (code, typeModifier) = Self.splitModifier(head)
        let parameter = try known(fullName) { try resolve(code, on: types) }
        guard parameter.type == .reference else {
            throw Self.error(fullName, "'\(code)' is a \(parameter.type) parameter, not a reference, so it cannot be chained")
        }
        var targets = parameter.targetLimit ?? Array(Set(parameter.definitions.flatMap(\.targets))).sorted()
        if let typeModifier {
            guard targets.contains(typeModifier) else {
                throw Self.error(fullName, "'\(code)' cannot refer to a \(typeModifier.prefix(64))")
            }
            targets = [typeModifier]
        }
        let nextLink = rest.split(separator: ".", maxSplits: 1).first.map(String.init) ?? rest
        let (nextCode, _) = Self.splitModifier(nextLink)
        var sets: [RidSet] = []
        for target in targets where Self.isCommon(nextCode) || context.definitions.parameter(nextCode, of: target) != nil {
            let inner = try known(fullName) { try naming(fullName) { try set(rest, value, on: [target], depth: depth + 1) } }
            sets.append(.referencing(pids: pids(parameter), targetType: target, targets: inner))
        }
        guard !sets.isEmpty else {
            throw Self.error(fullName, "the chain leads nowhere: no type '\(code)' refers to (\(Self.typeList(targets))) "
                             + "has a search parameter '\(nextCode.prefix(64))'")
        }
        return sets.count == 1 ? sets[0] : .union(sets)
    }

    func reverseChain(_ name: String, _ value: String, on types: [String], depth: Int) throws -> SearchClause {
        guard depth < Self.maximumChainDepth else {
            throw Self.error(name, "_has may be nested at most \(Self.maximumChainDepth) deep")
        }
        let parts = name.dropFirst("_has:".count).split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            .map(String.init)
        guard parts.count == 3, !parts[2].isEmpty else {
            throw Self.error(name, "_has is written _has:Type:reference:parameter")
        }
        let (sourceType, referenceCode, rest) = (parts[0], parts[1], parts[2])
        guard FHIRDefinitions.r4.isResourceType(sourceType) else {
            throw Self.error(name, "'\(sourceType.prefix(64))' is not a resource type")
        }
        guard let reference = context.definitions.parameter(referenceCode, of: sourceType), reference.type == .reference else {
            throw Self.error(name, "\(sourceType) has no reference parameter '\(referenceCode.prefix(64))'")
        }
        let limit = targetLimit([reference]) ?? reference.targets
        let referred = types.filter(limit.contains)
        guard !referred.isEmpty else {
            throw Self.error(name, "\(sourceType).\(referenceCode) never refers to \(Self.typeList(types))")
        }
        let sources = try known(name) { try naming(name) { try set(rest, value, on: [sourceType], depth: depth + 1) } }
        let pids = context.ids.pids(sourceType, referenceCode)
        let sets = referred.map { RidSet.referencedBy(type: $0, pids: pids, sources: sources) }
        return .within(sets.count == 1 ? sets[0] : .union(sets))
    }

    /// Parameters every resource has, which the definitions need not list per type.
    static func isCommon(_ code: String) -> Bool {
        code == "_id" || code == "_lastUpdated" || code == "_text" || code == "_content" || code.hasPrefix("_has")
    }

    /// Runs `body`, so that an error about a link inside a chain names the parameter as the
    /// client wrote it (`subject.organization.name`, not `organization.name`).
    func naming<T>(_ name: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as RecordError {
            let full = String(name.prefix(100))
            throw RecordError(error.kind, error.issues.map { issue in
                var issue = issue
                issue.expression = [full]
                return issue
            })
        }
    }

    /// Runs `body`, turning "unknown parameter" into an error of `name`.
    func known<T>(_ name: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let unknown as UnknownSearchParameter {
            throw Self.error(name, unknown.reason)
        }
    }
}
