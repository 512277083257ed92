import FHIR

/// `_include=Source:parameter[:Target]` and `_revinclude=Source:parameter[:Target]`, with
/// `*` for every reference parameter of the source type.
struct SearchIncludeParser {
    let context: SearchContext

    func include(_ parameter: QueryParameter, types: [String]) throws -> SearchInclude {
        let include = try parse(parameter)
        guard include.iterate || types.isEmpty || types.contains(include.sourceType) else {
            throw SearchQueryParser.error(parameter.name, "\(include.sourceType) is not a type this search returns "
                                          + "(use :iterate to include from included resources)")
        }
        return include
    }

    func revInclude(_ parameter: QueryParameter, types: [String]) throws -> SearchInclude {
        let include = try parse(parameter)
        let targets = Set(include.codes.flatMap { context.definitions.parameter($0, of: include.sourceType)?.targets ?? [] })
        guard include.iterate || types.isEmpty || types.contains(where: targets.contains) else {
            throw SearchQueryParser.error(parameter.name, "\(include.sourceType).\(include.parameter) never refers to "
                                          + SearchQueryParser.typeList(types))
        }
        return include
    }

    private func parse(_ parameter: QueryParameter) throws -> SearchInclude {
        let parts = parameter.value.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3 else {
            throw SearchQueryParser.error(parameter.name, "expected Type:parameter or Type:parameter:TargetType")
        }
        let (source, code) = (parts[0], parts[1])
        guard FHIRDefinitions.r4.isResourceType(source) else {
            throw SearchQueryParser.error(parameter.name, "'\(source.prefix(64))' is not a resource type")
        }
        let codes: [String]
        if code == "*" {
            codes = context.definitions.parameters(of: source).values.filter { $0.type == .reference }.map(\.code).sorted()
        } else {
            guard let definition = context.definitions.parameter(code, of: source), definition.type == .reference else {
                throw SearchQueryParser.error(parameter.name, "\(source) has no reference parameter '\(code.prefix(64))'")
            }
            codes = [code]
        }
        var target: String?
        // An alias limited to one target type (Observation `patient`) includes only that type.
        if let limit = context.definitions.targetLimit(codes.map { ($0, source) }), limit.count == 1 { target = limit[0] }
        if parts.count == 3 {
            target = parts[2]
            let targets = Set(codes.flatMap { context.definitions.parameter($0, of: source)?.targets ?? [] })
            guard targets.contains(parts[2]) else {
                throw SearchQueryParser.error(parameter.name, "\(source).\(code) never refers to '\(parts[2].prefix(64))'")
            }
        }
        return SearchInclude(sourceType: source, parameter: code, codes: codes,
                             pids: codes.flatMap { context.ids.pids(source, $0) }, targetType: target,
                             iterate: parameter.name.hasSuffix(":iterate") || parameter.name.hasSuffix(":recurse"))
    }
}
