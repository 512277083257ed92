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
    ///
    /// For a statement that tests one resource (`one`: a read by id) each patient's
    /// relationships are probed where the patient is named. For one that tests many (a
    /// search's candidates, its includes) the patients the viewer is joined to are gathered
    /// once, from the viewer's side, and each candidate's patients looked up in that set:
    /// probed per candidate, a GP's search by a common code at 1,000 people took 163 ms,
    /// every unrelated patient's encounters and episodes read for each of their observations.
    func condition(_ alias: String, _ arguments: inout [SQLValue], one: Bool = false) -> String {
        let shape = VisibilitySQL.of(viewer.relationships, context)
        let who = viewer.identities
        if one {
            shape.relatedArguments(who: who, user: viewer.user, now: now, into: &arguments)
            shape.relatedArguments(who: who, user: viewer.user, now: now, into: &arguments)
            return shape.condition(alias, whoCount: who.count)
        }
        shape.relatedSetArguments(who: who, user: viewer.user, now: now, into: &arguments)
        shape.relatedSetArguments(who: who, user: viewer.user, now: now, into: &arguments)
        return shape.conditionBySet(alias, whoCount: who.count)
    }

    /// Who the viewer is in the record, as `Type/id` texts: the Practitioners carrying their
    /// user id, the Organizations carrying their ODS code, and the standing teams (open
    /// CareTeams about no one) either is a participant of. Read when a request first reaches
    /// the record, unless read for the same viewer in the last few seconds
    /// (`CareRecord.identify`, `ViewerIdentities`), so that the visibility test binds a short list.
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
        // Through the index by target, one seek per identity: a test of every participant row
        // read the whole reference table once a request (a read by id fell from 20,000 a
        // second to 320).
        let teams = try connection.fetchAll("""
            SELECT DISTINCT w.id FROM search_reference wm JOIN resource w ON w.rid = wm.rid \
            WHERE \(seeks("wm", count: people.count)) AND wm.pid \(literals(participants)) \
            AND NOT EXISTS (SELECT 1 FROM search_reference ws WHERE ws.rid = wm.rid AND ws.pid \(literals(context.ids.pids("CareTeam", "subject")))) \
            AND EXISTS (SELECT 1 FROM search_token wst WHERE wst.rid = wm.rid AND wst.pid \(literals(context.ids.pids("CareTeam", "status"))) \
            AND wst.code \(RidSet.inList(relationships.teamStatuses.count)))
            """, targets(people) + relationships.teamStatuses.map { SearchKeyText.cap($0).sqlValue })
        return people + teams.compactMap { $0[0].string.map { "CareTeam/\($0)" } }
    }

    /// The test that the reference row `alias` points at one of `count` identities, bound
    /// as `targets` binds them: one seek each through the index by target.
    static func seeks(_ alias: String, count: Int) -> String {
        "(" + Array(repeating: "(\(alias).target_type = ? AND \(alias).target_id = ?)", count: count).joined(separator: " OR ") + ")"
    }

    /// Identities (`Type/id`) as the type and id `seeks` binds for each.
    static func targets(_ identities: [String]) -> [SQLValue] {
        identities.flatMap { identity -> [SQLValue] in
            let parts = identity.split(separator: "/", maxSplits: 1)
            return [String(parts[0]).sqlValue, String(parts.count > 1 ? parts[1] : "").sqlValue]
        }
    }

    /// `IN (1, 2, 3)` of the index's own numbers, written in (not client values): a list
    /// of a hundred parameters bound per candidate would be a hundred arguments each time.
    static func literals(_ numbers: [Int64]) -> String {
        numbers.isEmpty ? "IN (SELECT NULL WHERE FALSE)" : "IN (" + numbers.map(String.init).joined(separator: ", ") + ")"
    }
}
