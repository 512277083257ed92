import FHIR
import Storage

extension SearchQueryParser {
    /// The patients a top-level parameter confines a search's matches to, if it does: `_id`
    /// of Patients, or a reference parameter that reaches only elements through which a
    /// resource is in a patient's compartment (Observation `patient`, `subject=Patient/1`),
    /// every value naming a Patient. Each match then has one of these patients' keys or the
    /// shared one (`PersonKey`). Never for a search of Patients by reference: a Patient
    /// linked to another (`Patient.link`) has its own key.
    func patientsNamed(_ name: String, _ value: String, on types: [String]) -> [String]? {
        guard !types.isEmpty, !name.contains("."), !name.hasPrefix("_has:") else { return nil }
        let (code, modifier) = Self.splitModifier(name)
        let values = SearchEscaping.split(value, on: ",")
        if code == "_id", modifier == nil, types == ["Patient"] { return values.map { SearchEscaping.unescape($0) } }
        guard modifier == nil || modifier == "Patient", !types.contains("Patient"),
              let parameter = try? resolve(code, on: types), parameter.type == .reference,
              types.allSatisfy({ isInPatientCompartment(code, of: $0) }) else { return nil }
        let targets = parameter.targetLimit ?? Array(Set(parameter.definitions.flatMap(\.targets))).sorted()
        var patients: [String] = []
        for text in values {
            guard let reference = try? ReferenceSearchValue.parse(text, typeModifier: modifier, baseURL: baseURL),
                  reference.url == nil, let id = reference.id,
                  (reference.type ?? (targets == ["Patient"] ? "Patient" : nil)) == "Patient" else { return nil }
            patients.append(id)
        }
        return patients
    }

    /// Whether every element parameter `code` of `type` reaches is one of the patient
    /// compartment's parameters' elements for the type.
    private func isInPatientCompartment(_ code: String, of type: String) -> Bool {
        guard let compartment = context.patientCompartment[type],
              let parameter = context.definitions.parameter(code, of: type) else { return false }
        let elements = Set(compartment.compactMap { context.definitions.parameter($0, of: type) }.flatMap(\.paths).map(\.steps))
        return !parameter.paths.isEmpty && parameter.paths.allSatisfy { elements.contains($0.steps) }
    }
}

extension SearchQuery {
    /// The query kept to the rows of `patients`' persons (`PersonRestriction`) on `engine`:
    /// each of its own clauses tests the key of the index rows it reads, and the statements
    /// test it on the resource and version rows, and so do the sort keys. Chains and reverse
    /// chains, which read other resources' rows, are left as they are, and so are includes.
    ///
    /// The clause that named the patients (`driver`) drives the search, and every other set is
    /// tested per candidate, with no probe of sizes: its set is no more than those patients'
    /// resources of the type, a bounded number whatever the size of the store. Probed, a
    /// common code's set was counted through a prepared statement's generic plan, which tests
    /// the bound keys after the index rather than in it: 1 ms of a 1.8 ms search by subject and
    /// code, where its 30 candidates are tested in 0.05.
    func restricted(_ patients: [String]?, on engine: SQLEngine, driver: Int?) -> SearchQuery {
        guard let patients else { return self }
        let persons = PersonRestriction.patients(patients, on: engine)
        guard !persons.keys.isEmpty else { return self }
        var clauses = clauses.map { $0.restricted(to: persons) }
        if let driver, case .within = clauses[driver] {
            for index in clauses.indices where index != driver {
                if case .within(let set) = clauses[index] { clauses[index] = .member(set) }
            }
        }
        return SearchQuery(types: types, clauses: clauses, sort: sort.map { $0.restricted(to: persons) },
                           count: count, total: total, summary: summary, elements: elements, includes: includes,
                           revIncludes: revIncludes, cursor: cursor, ignored: ignored, applied: applied, persons: persons,
                           visibility: visibility)
    }
}

extension SearchClause {
    func restricted(to persons: PersonRestriction) -> SearchClause {
        switch self {
        case .within(let set): .within(set.restricted(to: persons))
        case .member(let set): .member(set.restricted(to: persons))
        case .without(let table, let pids, let condition, let arguments):
            .without(table: table, pids: pids, condition: Self.and(condition, persons), arguments: arguments + persons.arguments)
        case .having(let table, let pids):
            .member(.rows(table: table, pids: pids, condition: Self.and("", persons), arguments: persons.arguments))
        case .ids, .row: self
        }
    }

    /// `condition` (over an index row's columns) and the row's person test.
    static func and(_ condition: String, _ persons: PersonRestriction) -> String {
        let test = "person \(RidSet.inList(persons.keys.count))"
        return condition.isEmpty ? test : "(\(condition)) AND \(test)"
    }
}

extension RidSet {
    func restricted(to persons: PersonRestriction) -> RidSet {
        switch self {
        case .rows(let table, let pids, let condition, let arguments):
            .rows(table: table, pids: pids, condition: SearchClause.and(condition, persons), arguments: arguments + persons.arguments)
        case .resources(let types, let condition, let arguments):
            .resources(types: types, condition: "(\(condition.isEmpty ? "TRUE" : condition)) AND r.person \(RidSet.inList(persons.keys.count))",
                       arguments: arguments + persons.arguments)
        case .union(let sets): .union(sets.map { $0.restricted(to: persons) })
        case .intersection(let sets): .intersection(sets.map { $0.restricted(to: persons) })
        case .fullText, .referencing, .referencedBy, .visible: self
        }
    }
}
