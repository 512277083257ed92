/// Which resource types' data a search reads to decide what matches: its own types, and
/// those its chains (`subject:Patient.name`) and reverse chains (`_has:Observation:...`)
/// look into. Access control needs them before the search runs: a chain through a type the
/// user may not read would otherwise tell them, by what matched, what that type holds.
extension SearchQuery {
    /// nil when the search is over every type (a system search without `_type`).
    func typesRead(_ ids: SearchParameterIDs) -> Set<String>? {
        guard !types.isEmpty else { return nil }
        var read = Set(types)
        for clause in clauses { clause.collectTypes(into: &read, ids) }
        return read
    }
}

extension SearchQuery {
    /// Whether a clause chains or reverse-chains into other resources.
    var chains: Bool {
        clauses.contains { clause in
            switch clause {
            case .within(let set), .member(let set): set.chains
            case .without, .having, .ids, .row: false
            }
        }
    }
}

extension RidSet {
    var chains: Bool {
        switch self {
        case .referencing, .referencedBy: true
        case .union(let sets), .intersection(let sets): sets.contains(where: \.chains)
        case .visible(let set, _, _): set.chains
        case .rows, .resources, .fullText: false
        }
    }
}

extension SearchClause {
    func collectTypes(into read: inout Set<String>, _ ids: SearchParameterIDs) {
        switch self {
        case .within(let set), .member(let set): set.collectTypes(into: &read, ids)
        case .without(_, let pids, _, _), .having(_, let pids): read.formUnion(pids.compactMap(ids.type(of:)))
        case .ids, .row: break
        }
    }
}

extension RidSet {
    func collectTypes(into read: inout Set<String>, _ ids: SearchParameterIDs) {
        switch self {
        case .rows(_, let pids, _, _):
            read.formUnion(pids.compactMap(ids.type(of:)))
        case .resources(let types, _, _), .fullText(_, _, let types, _):
            read.formUnion(types)
        case .union(let sets), .intersection(let sets):
            for set in sets { set.collectTypes(into: &read, ids) }
        case .referencing(let pids, let targetType, let targets):
            read.formUnion(pids.compactMap(ids.type(of:)))
            read.insert(targetType)
            targets.collectTypes(into: &read, ids)
        case .referencedBy(let type, let pids, let sources):
            read.insert(type)
            read.formUnion(pids.compactMap(ids.type(of:)))
            sources.collectTypes(into: &read, ids)
        case .visible(let set, _, _):
            set.collectTypes(into: &read, ids)
        }
    }
}
