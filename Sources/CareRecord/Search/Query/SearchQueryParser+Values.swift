import FHIR
import Storage

/// The clause of each parameter type, with the modifiers R4 gives that type.
extension SearchQueryParser {
    func tokenClause(_ parameter: ResolvedParameter, _ name: String, _ modifier: String?,
                     _ values: [String]) throws -> SearchClause {
        switch modifier {
        case nil, "not":
            let conditions = try values.map { text in
                SearchConditions.token(try value(name) { () throws(SearchValueError) in try TokenSearchValue.parse(text) })
            }
            return modifier == nil ? Self.anyRow("search_token", pids(parameter), conditions)
                : Self.noRow("search_token", pids(parameter), conditions)
        case "text":
            let conditions = values.map { SearchConditions.startsWith(SearchText.normalize(SearchEscaping.unescape($0))) }
            return Self.anyRow("search_string", pids(parameter, suffix: "text"), conditions)
        case "of-type":
            let conditions = try values.map { text in
                let parts = SearchEscaping.split(text, on: "|").map(SearchEscaping.unescape)
                guard parts.count == 3, !parts[1].isEmpty, !parts[2].isEmpty else {
                    throw Self.error(name, ":of-type takes system|code|value, with a code and a value")
                }
                return SearchConditions.token(TokenSearchValue(system: parts[0], code: parts[1] + "|" + parts[2]))
            }
            return Self.anyRow("search_token", pids(parameter, suffix: "of-type"), conditions)
        case "in", "not-in":
            var conditions: [SearchConditions.Condition] = []
            for text in values {
                let url = SearchEscaping.unescape(text)
                guard let valueSet = FHIRDefinitions.r4.valueSet(url), valueSet.isExpandable else {
                    throw Self.error(name, "the value set '\(url.prefix(200))' is not one this server holds expanded")
                }
                for (system, codes) in valueSet.codesBySystem.sorted(by: { $0.key < $1.key }) where !codes.isEmpty {
                    let sorted = codes.sorted()
                    conditions.append(("system = ? AND code \(RidSet.inList(sorted.count))",
                                       [system.sqlValue] + sorted.map(\.sqlValue)))
                }
            }
            if conditions.isEmpty { conditions = [("FALSE", [])] }
            return modifier == "in" ? Self.anyRow("search_token", pids(parameter), conditions)
                : Self.noRow("search_token", pids(parameter), conditions)
        default:
            throw badModifier(name, modifier, allowed: ["not", "text", "of-type", "in", "not-in"])
        }
    }

    /// A uri is indexed as a token with no system; `:below` matches URLs under the value and
    /// `:above` the URLs the value is under, both on the index.
    func uriClause(_ parameter: ResolvedParameter, _ name: String, _ modifier: String?,
                   _ values: [String]) throws -> SearchClause {
        let uris = values.map(SearchEscaping.unescape)
        let conditions: [SearchConditions.Condition]
        switch modifier {
        case nil:
            conditions = uris.map { ("code = ?", [$0.sqlValue]) }
        case "below":
            conditions = uris.map { SearchConditions.startsWith($0, column: "code") }
        case "above":
            conditions = uris.map { uri in
                var candidates = [uri]
                var text = Substring(uri)
                while let slash = text.lastIndex(of: "/") {
                    text = text[..<slash]
                    if text.hasSuffix("/") || text.isEmpty { break }
                    candidates.append(String(text))
                }
                return ("code \(RidSet.inList(candidates.count))", candidates.map(\.sqlValue))
            }
        default:
            throw badModifier(name, modifier, allowed: ["below", "above"])
        }
        return Self.anyRow("search_token", pids(parameter), conditions)
    }

    /// Strings match from the start, ignoring case and accents; `:exact` matches the whole
    /// text as written; `:contains` anywhere (a scan of the parameter's rows).
    func stringClause(_ parameter: ResolvedParameter, _ name: String, _ modifier: String?,
                      _ values: [String]) throws -> SearchClause {
        let texts = values.map(SearchEscaping.unescape)
        let conditions: [SearchConditions.Condition]
        switch modifier {
        case nil: conditions = texts.map { SearchConditions.startsWith(SearchText.normalize($0)) }
        case "exact":
            conditions = texts.map {
                ("norm = ? AND exact = ?", [SearchKeyText.cap(SearchText.normalize($0)).sqlValue, SearchKeyText.cap($0).sqlValue])
            }
        case "contains": conditions = texts.map { SearchConditions.contains(SearchText.normalize($0)) }
        default:
            throw badModifier(name, modifier, allowed: ["exact", "contains"])
        }
        return Self.anyRow("search_string", pids(parameter), conditions)
    }

    /// `_text` (the narrative) and `_content` (all the text): words and "quoted phrases", all
    /// of which must appear (`FullTextSearchValue`); commas give alternatives. No modifiers.
    func fullTextClause(_ code: String, _ name: String, _ modifier: String?, _ values: [String],
                        on types: [String]) throws -> SearchClause {
        if let modifier { throw Self.error(name, "\(code) takes no modifier (':\(modifier.prefix(40))' was given)") }
        let queries = try values.map { text in
            try value(name) { () throws(SearchValueError) in try FullTextSearchValue.parse(SearchEscaping.unescape(text)) }
        }
        let match = context.engine == .sqlite
            ? FullTextSearchValue.matchExpression(anyOf: queries) : PostgresFullText.query(anyOf: queries)
        return .within(.fullText(column: code == "_text" ? "narrative" : "content", match: match, types: types,
                                 engine: context.engine))
    }

    /// Location `near`: within the distance of the point, by great-circle distance on a sphere
    /// of the Earth's mean radius (within 0.5% of the ellipsoid), read through a bounding
    /// box on `search_position` first. Commas give alternatives.
    func nearClause(_ name: String, _ modifier: String?, _ values: [String]) throws -> SearchClause {
        if let modifier { throw Self.error(name, "near takes no modifier (':\(modifier.prefix(40))' was given)") }
        var conditions: [String] = []
        var arguments: [SQLValue] = []
        for text in values {
            let near = try value(name) { () throws(SearchValueError) in try NearSearchValue.parse(text) }
            let box = GeoBox(around: near)
            conditions.append("""
                (p.latitude BETWEEN ? AND ?\(box.longitudes == nil ? "" : " AND p.longitude BETWEEN ? AND ?") AND \
                2 * 6371.0088 * asin(\(context.engine == .sqlite ? "min" : "least")(1, sqrt(pow(sin(radians(p.latitude - ?) / 2), 2) \
                + cos(radians(?)) * cos(radians(p.latitude)) * pow(sin(radians(p.longitude - ?) / 2), 2)))) <= ?)
                """)
            arguments += [box.latitudes.lowerBound, box.latitudes.upperBound].map(\.sqlValue)
            if let longitudes = box.longitudes { arguments += [longitudes.lowerBound, longitudes.upperBound].map(\.sqlValue) }
            arguments += [near.latitude, near.latitude, near.longitude, near.kilometres].map(\.sqlValue)
        }
        return .within(.resources(types: ["Location"], condition: """
            r.rid IN (SELECT p.rid FROM search_position p WHERE \(conditions.joined(separator: " OR ")))
            """, arguments: arguments))
    }

    func dateClause(_ parameter: ResolvedParameter, _ name: String, _ modifier: String?,
                    _ values: [String]) throws -> SearchClause {
        try refuseModifier(name, modifier, allowed: [])
        let conditions = try values.map { text in
            SearchConditions.date(try value(name) { () throws(SearchValueError) in try DateSearchValue.parse(text) }, now: now)
        }
        return Self.anyRow("search_date", pids(parameter), conditions)
    }

    func numericClause(_ parameter: ResolvedParameter, _ name: String, _ modifier: String?,
                       _ values: [String]) throws -> SearchClause {
        try refuseModifier(name, modifier, allowed: [])
        if parameter.type == .number {
            let conditions = try values.map { text in
                SearchConditions.number(try value(name) { () throws(SearchValueError) in try NumberSearchValue.parse(text) })
            }
            return Self.anyRow("search_number", pids(parameter), conditions)
        }
        let conditions = try values.map { text in
            SearchConditions.quantity(try value(name) { () throws(SearchValueError) in try QuantitySearchValue.parse(text) })
        }
        return Self.anyRow("search_quantity", pids(parameter), conditions)
    }

    /// `Type/id`, `id` (any of the parameter's target types), an absolute URL, `:Type` and
    /// `:identifier` (the reference's own identifier).
    func referenceClause(_ parameter: ResolvedParameter, _ name: String, _ modifier: String?,
                         _ values: [String]) throws -> SearchClause {
        let targets = parameter.targetLimit ?? Array(Set(parameter.definitions.flatMap(\.targets))).sorted()
        if modifier == "identifier" {
            let conditions = try values.map { text in
                SearchConditions.token(try value(name) { () throws(SearchValueError) in try TokenSearchValue.parse(text) })
            }
            return Self.anyRow("search_token", pids(parameter, suffix: "identifier"), conditions)
        }
        if let modifier {
            guard FHIRDefinitions.r4.isResourceType(modifier) else {
                throw badModifier(name, modifier, allowed: ["identifier", "[type]"])
            }
            guard targets.isEmpty || targets.contains(modifier) else {
                throw Self.error(name, "\(modifier) is not a type this parameter can refer to")
            }
        }
        var conditions: [SearchConditions.Condition] = []
        for text in values {
            let reference = try value(name) { () throws(SearchValueError) in
                try ReferenceSearchValue.parse(text, typeModifier: modifier, baseURL: baseURL)
            }
            if let url = reference.url {
                conditions.append(("target_type = '' AND target_id = ?", [SearchKeyText.cap(url).sqlValue]))
                continue
            }
            guard let id = reference.id else { throw Self.error(name, "the reference names no resource") }
            var types = reference.type.map { [$0] } ?? targets
            // A type the alias's paths leave out can never match.
            if let limit = parameter.targetLimit { types = types.filter(limit.contains) }
            if types.isEmpty, parameter.targetLimit != nil {
                conditions.append(("FALSE", []))
                continue
            }
            if types.isEmpty {
                // A parameter whose definition names no target types may refer to any.
                conditions.append(("target_id = ? AND target_type != ''", [id.sqlValue]))
            } else {
                conditions.append(("target_type \(RidSet.inList(types.count)) AND target_id = ?",
                                   types.map(\.sqlValue) + [id.sqlValue]))
            }
            // The same resource written as an absolute URL under this server's base is stored
            // as that URL (the index does not know the base), so look for it too.
            if let base = baseURL.map({ $0.hasSuffix("/") ? String($0.dropLast()) : $0 }), !types.isEmpty {
                let urls = types.map { "\(base)/\($0)/\(id)" }
                conditions.append(("target_type = '' AND target_id \(RidSet.inList(urls.count))",
                                   urls.map { SearchKeyText.cap($0).sqlValue }))
            }
        }
        return Self.anyRow("search_reference", pids(parameter), conditions)
    }

    /// `first$second` for a two-component composite (Observation `code-value-quantity`,
    /// `code-value-concept`, `component-code-value-quantity` and the rest): the two values
    /// must come from the same element, which the index keeps as one row.
    func compositeClause(_ parameter: ResolvedParameter, _ name: String, _ modifier: String?,
                         _ values: [String]) throws -> SearchClause {
        try refuseModifier(name, modifier, allowed: [])
        let components = parameter.definitions[0].components
        guard components.count == 2 else {
            throw RecordError(.invalid, .notSupported, "composite '\(parameter.code)' has \(components.count) components; "
                              + "only two-component composites are supported", at: [name])
        }
        let conditions = try values.map { text -> SearchConditions.Condition in
            let parts = SearchEscaping.split(text, on: "$")
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw Self.error(name, "a composite value is first$second")
            }
            let first: SearchConditions.Condition
            switch components[0].type {
            case .token:
                first = SearchConditions.token(try value(name) { () throws(SearchValueError) in try TokenSearchValue.parse(parts[0]) },
                                               system: "a_system", code: "a_code")
            default:
                throw RecordError(.invalid, .notSupported, "composite '\(parameter.code)' starts with a \(components[0].type) "
                                  + "component, which is not supported", at: [name])
            }
            let second: SearchConditions.Condition
            switch components[1].type {
            case .token, .uri:
                second = SearchConditions.token(try value(name) { () throws(SearchValueError) in try TokenSearchValue.parse(parts[1]) },
                                                system: "b_system", code: "b_code")
            case .quantity:
                second = SearchConditions.quantity(try value(name) { () throws(SearchValueError) in try QuantitySearchValue.parse(parts[1]) },
                                                   column: "b_low", system: "b_system", code: "b_code")
            case .number:
                second = SearchConditions.number(try value(name) { () throws(SearchValueError) in try NumberSearchValue.parse(parts[1]) },
                                                 column: "b_low")
            case .date:
                second = SearchConditions.date(try value(name) { () throws(SearchValueError) in try DateSearchValue.parse(parts[1]) },
                                               low: "b_low", high: "b_high", now: now, asReal: true)
            case .string:
                second = SearchConditions.startsWith(SearchText.normalize(SearchEscaping.unescape(parts[1])), column: "b_code")
            default:
                throw RecordError(.invalid, .notSupported, "composite '\(parameter.code)' ends with a \(components[1].type) "
                                  + "component, which is not supported", at: [name])
            }
            return SearchConditions.and(first, second)
        }
        return Self.anyRow("search_composite", pids(parameter), conditions)
    }
}
