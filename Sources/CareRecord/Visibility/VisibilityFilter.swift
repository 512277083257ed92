import FHIR
import Storage

/// The test, in SQL, that a resource is one a `RecordViewer` may see: a Patient they have a
/// care relationship with (or a break-glass grant for), or a resource whose patient
/// compartment names no one else, so a resource about no one (an Organization, a
/// Medication) is seen by all. Being SQL, it sits inside the statements that read the record:
/// a page, its count, its includes and the sets its chains and `_has` read all see the same
/// record, and nothing about a person the viewer may not see reaches them, not even as a count.
///
/// A resource that names two people (a group appointment) is seen only by someone who may see
/// both. A compartment reference by absolute URL to a Patient (`https://.../Patient/1`) counts
/// as someone else's: which patient it means is not checked here, so it is not assumed.
///
/// Every value from the viewer (user id, ODS code, systems and statuses from the tables) is a
/// bound argument; the only text written in is the index's own parameter numbers and type
/// names.
struct VisibilityFilter: Sendable {
    let viewer: RecordViewer
    let context: SearchContext
    /// Milliseconds since 1970: grants that end after this count.
    let now: Int64

    /// The test that the resource row `alias` (with `rid`, `type`, `id`) may be seen.
    func condition(_ alias: String, _ arguments: inout [SQLValue]) -> String {
        let patient = related("\(alias).id", &arguments)
        let someoneElse = related("c.target_id", &arguments)
        return """
            ((\(alias).type = 'Patient' AND \(patient)) OR (\(alias).type <> 'Patient' AND NOT EXISTS (SELECT 1 FROM search_reference c \
            WHERE c.rid = \(alias).rid AND c.pid \(Self.literals(compartmentPIDs)) AND ((c.target_type = 'Patient' AND NOT \(someoneElse)) \
            OR (c.target_type = '' AND c.target_id LIKE '%/Patient/%')))))
            """
    }

    /// The test that the viewer has a relationship with the Patient whose id is `patient`
    /// (an SQL expression), or a grant for them that has not ended: one probe of the
    /// person's references for the rules naming the person by a parameter (a parameter
    /// number belongs to one type, so the rules share it), one of the Patient itself for
    /// registration, one of the grants. Written once per use, it keeps a statement that
    /// tests several resources within what SQLite will parse.
    func related(_ patient: String, _ arguments: inout [SQLValue]) -> String {
        let rules = viewer.relationships.rules
        let who = viewer.identities
        var tests: [String] = []
        let byParameter = rules.filter { $0.patient != nil }
        let patients = byParameter.flatMap { pids($0.type, [$0.patient!]) }
        let members = byParameter.flatMap { pids($0.type, $0.members) }
        if !patients.isEmpty, !members.isEmpty, !who.isEmpty {
            arguments += who.map(\.sqlValue)
            var test = """
                EXISTS (SELECT 1 FROM search_reference rp WHERE rp.target_type = 'Patient' AND rp.target_id = \(patient) \
                AND rp.pid \(Self.literals(patients)) AND EXISTS (SELECT 1 FROM search_reference rm WHERE rm.rid = rp.rid \
                AND rm.pid \(Self.literals(members)) AND (rm.target_type || '/' || rm.target_id) \(RidSet.inList(who.count)))
                """
            let open = byParameter.compactMap { rule -> String? in
                guard let status = rule.status else { return nil }
                arguments += rule.statuses.map { SearchKeyText.cap($0).sqlValue }
                return "(rs.pid \(Self.literals(pids(rule.type, [status]))) AND rs.code \(RidSet.inList(rule.statuses.count)))"
            }
            let always = byParameter.filter { $0.status == nil }.flatMap { pids($0.type, [$0.patient!]) }
            var status = open.isEmpty ? "FALSE" : "EXISTS (SELECT 1 FROM search_token rs WHERE rs.rid = rp.rid AND (\(open.joined(separator: " OR "))))"
            if !always.isEmpty { status = "(rp.pid \(Self.literals(always)) OR \(status))" }
            test += " AND \(status))"
            tests.append(test)
        }
        let registration = rules.filter { $0.patient == nil }.flatMap { pids($0.type, $0.members) }
        if !registration.isEmpty, !who.isEmpty {
            arguments += who.map(\.sqlValue)
            tests.append("""
                EXISTS (SELECT 1 FROM resource rp JOIN search_reference rm ON rm.rid = rp.rid WHERE rp.type = 'Patient' \
                AND rp.id = \(patient) AND rp.deleted = 0 AND rm.pid \(Self.literals(registration)) \
                AND (rm.target_type || '/' || rm.target_id) \(RidSet.inList(who.count)))
                """)
        }
        arguments += [viewer.user.sqlValue, now.sqlValue]
        tests.append("EXISTS (SELECT 1 FROM access_grant g WHERE g.patient = \(patient) AND g.user_id = ? AND g.expires > ?)")
        return "(" + tests.joined(separator: " OR ") + ")"
    }

    /// Who the viewer is in the record, as `Type/id` texts: the Practitioners carrying their
    /// user id, the Organizations carrying their ODS code, and the standing teams (open
    /// CareTeams about no one) either is a participant of. Read once a request
    /// (`CareRecord.identify`), so that the visibility test binds a short list.
    static func identities(of viewer: RecordViewer, context: SearchContext, on connection: any SQLConnection) throws -> [String] {
        let relationships = viewer.relationships
        func identified(_ type: String, _ systems: [String], _ value: String) throws -> [String] {
            let pids = context.ids.pids(type, "identifier")
            let rows = try connection.fetchAll("""
                SELECT w.id FROM search_token wt JOIN resource w ON w.rid = wt.rid \
                WHERE wt.pid \(literals(pids)) AND wt.code = ? AND wt.system \(RidSet.inList(systems.count)) AND w.deleted = 0
                """, [SearchKeyText.cap(value).sqlValue] + systems.map { SearchKeyText.cap($0).sqlValue })
            return rows.compactMap { $0[0].string.map { "\(type)/\($0)" } }
        }
        var people = try identified("Practitioner", relationships.userSystems, viewer.user)
        if let organisation = viewer.organisation {
            people += try identified("Organization", relationships.organisationSystems, organisation)
        }
        let participants = context.ids.pids("CareTeam", "participant")
        guard !people.isEmpty, !participants.isEmpty, !relationships.teamStatuses.isEmpty else { return people }
        let teams = try connection.fetchAll("""
            SELECT DISTINCT w.id FROM search_reference wm JOIN resource w ON w.rid = wm.rid \
            WHERE wm.pid \(literals(participants)) AND (wm.target_type || '/' || wm.target_id) \(RidSet.inList(people.count)) \
            AND NOT EXISTS (SELECT 1 FROM search_reference ws WHERE ws.rid = wm.rid AND ws.pid \(literals(context.ids.pids("CareTeam", "subject")))) \
            AND EXISTS (SELECT 1 FROM search_token wst WHERE wst.rid = wm.rid AND wst.pid \(literals(context.ids.pids("CareTeam", "status"))) \
            AND wst.code \(RidSet.inList(relationships.teamStatuses.count)))
            """, people.map(\.sqlValue) + relationships.teamStatuses.map { SearchKeyText.cap($0).sqlValue })
        return people + teams.compactMap { $0[0].string.map { "CareTeam/\($0)" } }
    }

    private func pids(_ type: String, _ codes: [String]) -> [Int64] {
        codes.flatMap { context.ids.pids(type, $0) }
    }

    /// Every parameter number through which a resource is in a patient's compartment.
    private var compartmentPIDs: [Int64] {
        context.compartmentPIDs(context.patientCompartment)
    }

    /// `IN (1, 2, 3)` of the index's own numbers, written in (not client values): a list
    /// of a hundred parameters bound per candidate would be a hundred arguments each time.
    static func literals(_ numbers: [Int64]) -> String {
        numbers.isEmpty ? "IN (SELECT NULL WHERE FALSE)" : "IN (" + numbers.map(String.init).joined(separator: ", ") + ")"
    }
}
