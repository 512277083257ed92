import FHIR
import Storage

extension SearchQuery {
    /// The query kept to what `filter`'s viewer may see: a clause testing each match, the
    /// same test on every set a chain or `_has` reads (a Patient's `_has:Observation` must
    /// not find another person's Observations), and on the resources it includes
    /// (`SearchIncludes`). Counts and pages are of the kept matches alone.
    func visible(to filter: VisibilityFilter) -> SearchQuery {
        var arguments: [SQLValue] = []
        let test = filter.condition("r", &arguments)
        var kept = with(clauses: clauses.map { $0.visibleInside(filter) } + [.row(condition: test, arguments: arguments)])
        kept.visibility = filter
        return kept
    }

    /// The query as the request's viewer may see it (`RecordViewer.current`), or as it is
    /// when no viewer is set.
    func visibleToCurrentViewer(_ context: SearchContext) -> SearchQuery {
        guard let viewer = RecordViewer.current else { return self }
        return visible(to: VisibilityFilter(viewer: viewer, context: context,
                                            now: RecordEnvironment.wallClock().millisecondsSince1970))
    }
}

extension SearchClause {
    /// The clause with the sets that its chains and `_has` read kept to `filter`.
    func visibleInside(_ filter: VisibilityFilter) -> SearchClause {
        switch self {
        case .within(let set): .within(set.visibleInside(filter))
        case .member(let set): .member(set.visibleInside(filter))
        case .without, .having, .ids, .row: self
        }
    }
}

extension RidSet {
    /// The set with what it reads of other resources (a chain's targets, `_has`'s sources)
    /// kept to `filter`; the set's own rows are tested where the set is used.
    func visibleInside(_ filter: VisibilityFilter) -> RidSet {
        switch self {
        case .rows, .resources, .fullText, .visible: self
        case .union(let sets): .union(sets.map { $0.visibleInside(filter) })
        case .intersection(let sets): .intersection(sets.map { $0.visibleInside(filter) })
        case .referencing(let pids, let targetType, let targets):
            .referencing(pids: pids, targetType: targetType, targets: targets.visibleInside(filter).kept(filter))
        case .referencedBy(let type, let pids, let sources):
            .referencedBy(type: type, pids: pids, sources: sources.visibleInside(filter).kept(filter))
        }
    }

    private func kept(_ filter: VisibilityFilter) -> RidSet {
        var arguments: [SQLValue] = []
        let condition = filter.condition("v", &arguments)
        return .visible(self, condition: condition, arguments: arguments)
    }
}
