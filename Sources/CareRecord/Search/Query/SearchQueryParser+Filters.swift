import FHIR
import Storage

/// A parameter code as defined on the types searched: its type and its number on each.
struct ResolvedParameter {
    let code: String
    let type: SearchParameterType
    let definitions: [SearchParameter]
    /// For a reference alias whose paths keep only some target types (Observation `patient`
    /// is `subject` where it refers to a Patient): those types. nil: no limit.
    let targetLimit: [String]?
}

extension SearchQueryParser {
    /// The clause for `name=value` on `types`: `_has`, a chain, `_id`, `_lastUpdated` or a
    /// parameter of the definitions, with its modifier.
    func clause(_ name: String, _ value: String, on types: [String], depth: Int) throws -> SearchClause {
        if name.hasPrefix("_has:") { return try reverseChain(name, value, on: types, depth: depth) }
        if let dot = name.firstIndex(of: ".") {
            return .within(try chain(head: String(name[..<dot]), rest: String(name[name.index(after: dot)...]),
                                     value, on: types, depth: depth, fullName: name))
        }
        let (code, modifier) = Self.splitModifier(name)
        let alternatives = SearchEscaping.split(value, on: ",")
        if alternatives.contains(where: \.isEmpty) {
            throw Self.error(name, "a value between commas is empty")
        }
        guard alternatives.count <= Self.maximumAlternatives else {
            throw Self.error(name, "at most \(Self.maximumAlternatives) values may be given, separated by commas")
        }
        switch code {
        case "_id": return try idClause(name, modifier, alternatives)
        case "_lastUpdated": return try lastUpdatedClause(name, modifier, alternatives)
        case "_text", "_content": return try fullTextClause(code, name, modifier, alternatives, on: types)
        case "near" where types == ["Location"]: return try nearClause(name, modifier, alternatives)
        default: break
        }
        let parameter = try resolve(code, on: types)
        if modifier == "missing" { return try missing(parameter, name, alternatives) }
        switch parameter.type {
        case .token: return try tokenClause(parameter, name, modifier, alternatives)
        case .uri: return try uriClause(parameter, name, modifier, alternatives)
        case .string: return try stringClause(parameter, name, modifier, alternatives)
        case .date: return try dateClause(parameter, name, modifier, alternatives)
        case .reference: return try referenceClause(parameter, name, modifier, alternatives)
        case .number, .quantity: return try numericClause(parameter, name, modifier, alternatives)
        case .composite: return try compositeClause(parameter, name, modifier, alternatives)
        case .special:
            throw RecordError(.invalid, .notSupported, "search parameter '\(code)' (special) is not supported", at: [code])
        }
    }

    /// The same clause as a set of resources, for use inside a chain or `_has`.
    func set(_ name: String, _ value: String, on types: [String], depth: Int) throws -> RidSet {
        switch try clause(name, value, on: types, depth: depth) {
        case .within(let set): return set
        case let other:
            var arguments: [SQLValue] = []
            let condition = other.sql(&arguments)
            return .resources(types: types, condition: condition, arguments: arguments)
        }
    }

    /// `code:modifier` -> (code, modifier).
    static func splitModifier(_ name: String) -> (String, String?) {
        guard let colon = name.firstIndex(of: ":") else { return (name, nil) }
        return (String(name[..<colon]), String(name[name.index(after: colon)...]))
    }

    /// `code` on every one of `types`; unknown (for lenient handling) when none defines it.
    func resolve(_ code: String, on types: [String]) throws -> ResolvedParameter {
        let definitions = types.compactMap { context.definitions.parameter(code, of: $0) }
        if let definition = definitions.first, !SearchCapabilities.isSupported(definition) {
            throw RecordError(.invalid, .notSupported, "search parameter '\(code)' (\(definition.type)) is not supported", at: [code])
        }
        if definitions.isEmpty {
            if let reason = types.lazy.compactMap({ context.definitions.unsupported(of: $0)[code] }).first {
                throw RecordError(.invalid, .notSupported, "search parameter '\(code)' is not supported: \(reason)", at: [code])
            }
            throw UnknownSearchParameter(reason: "not defined for \(Self.typeList(types))")
        }
        guard definitions.count == types.count else {
            throw Self.error(code, "defined for some of the types searched but not all (\(Self.typeList(types)))")
        }
        guard definitions.allSatisfy({ $0.type == definitions[0].type }) else {
            throw Self.error(code, "has a different type on each of the types searched")
        }
        return ResolvedParameter(code: code, type: definitions[0].type, definitions: definitions,
                                 targetLimit: targetLimit(definitions))
    }

    /// The target types an alias's paths keep, when every path of every definition limits them.
    func targetLimit(_ definitions: [SearchParameter]) -> [String]? {
        context.definitions.targetLimit(definitions.map { ($0.code, $0.resourceType) })
    }

    static func typeList(_ types: [String]) -> String {
        types.count > 3 ? "\(types.count) resource types" : types.joined(separator: ", ")
    }

    /// The index numbers of `parameter` (or of its derived key `code:suffix`) on its types.
    func pids(_ parameter: ResolvedParameter, suffix: String? = nil) -> [Int64] {
        let key = suffix.map { "\(parameter.code):\($0)" } ?? parameter.code
        return parameter.definitions.flatMap { context.ids.pids($0.resourceType, key) }
    }

    /// Any of `conditions` on rows of `table`: a union, so that each alternative reads its
    /// own range of the value index.
    static func anyRow(_ table: String, _ pids: [Int64], _ conditions: [SearchConditions.Condition]) -> SearchClause {
        let sets = conditions.map { RidSet.rows(table: table, pids: pids, condition: $0.sql, arguments: $0.arguments) }
        return .within(sets.count == 1 ? sets[0] : .union(sets))
    }

    /// None of `conditions` on rows of `table` (`:not`, `:not-in`).
    static func noRow(_ table: String, _ pids: [Int64], _ conditions: [SearchConditions.Condition]) -> SearchClause {
        let sql = conditions.map { "(\($0.sql))" }.joined(separator: " OR ")
        return .without(table: table, pids: pids, condition: sql, arguments: conditions.flatMap(\.arguments))
    }

    /// Refuses any modifier (for types that take none besides `:missing`).
    func refuseModifier(_ name: String, _ modifier: String?, allowed: [String]) throws {
        if let modifier { throw badModifier(name, modifier, allowed: allowed) }
    }

    func badModifier(_ name: String, _ modifier: String?, allowed: [String]) -> RecordError {
        let list = (allowed + ["missing"]).map { ":\($0)" }.joined(separator: ", ")
        return Self.error(name, "the modifier ':\(modifier ?? "")' is not supported here (supported: \(list))")
    }

    /// `:missing=true` (no value indexed) or `:missing=false` (some value).
    func missing(_ parameter: ResolvedParameter, _ name: String, _ values: [String]) throws -> SearchClause {
        guard values.count == 1, let flag = ["true": true, "false": false][values[0]] else {
            throw Self.error(name, ":missing takes true or false")
        }
        guard let table = SearchContext.table(for: parameter.type) else {
            throw Self.error(name, ":missing is not supported on a special parameter")
        }
        let pids = pids(parameter)
        if let limit = parameter.targetLimit {
            // An alias limited to some target types: only rows of those types count.
            let condition = "target_type \(RidSet.inList(limit.count))"
            let arguments = limit.map(\.sqlValue)
            return flag ? .without(table: table, pids: pids, condition: condition, arguments: arguments)
                : .within(.rows(table: table, pids: pids, condition: condition, arguments: arguments))
        }
        return flag ? .without(table: table, pids: pids, condition: "", arguments: []) : .having(table: table, pids: pids)
    }

    /// Wraps a value parser's complaint as the parameter's error.
    func value<T>(_ name: String, _ parse: () throws(SearchValueError) -> T) throws -> T {
        do {
            return try parse()
        } catch {
            throw Self.error(name, error.message)
        }
    }

    func idClause(_ name: String, _ modifier: String?, _ values: [String]) throws -> SearchClause {
        if modifier == "missing" {
            // Every resource has an id.
            guard values == ["true"] || values == ["false"] else { throw Self.error(name, ":missing takes true or false") }
            return .row(condition: values[0] == "true" ? "FALSE" : "TRUE", arguments: [])
        }
        guard modifier == nil || modifier == "not" else { throw badModifier(name, modifier, allowed: ["not"]) }
        let ids = values.map(SearchEscaping.unescape)
        if modifier == nil { return .ids(ids) }
        return .row(condition: "NOT (r.id \(RidSet.inList(ids.count)))", arguments: ids.map(\.sqlValue))
    }

    func lastUpdatedClause(_ name: String, _ modifier: String?, _ values: [String]) throws -> SearchClause {
        if modifier == "missing" {
            // Every stored resource has one.
            guard values == ["true"] || values == ["false"] else { throw Self.error(name, ":missing takes true or false") }
            return .row(condition: values[0] == "true" ? "FALSE" : "TRUE", arguments: [])
        }
        try refuseModifier(name, modifier, allowed: [])
        let column = "(SELECT lu.last_updated FROM resource_version lu WHERE lu.seq = r.seq)"
        let conditions = try values.map { text in
            let date = try value(name) { () throws(SearchValueError) in try DateSearchValue.parse(text) }
            return SearchConditions.date(date, low: column, high: column, now: now)
        }
        return .row(condition: conditions.map { "(\($0.sql))" }.joined(separator: " OR "),
                    arguments: conditions.flatMap(\.arguments))
    }
}
