import FHIR
import Foundation
import NIOConcurrencyHelpers
import Storage

/// The SQL of `VisibilityFilter` for one relationships table on one store, made once: the
/// parameter numbers of every rule, and the text of each test by the alias it tests and the
/// number of the viewer's identities, which is all the text depends on. Writing it afresh
/// for every read (a hundred compartment parameters looked up and formatted, each rule's
/// numbers) was a quarter of a server's time under reads by id; now a request only binds
/// its values, and the text, the same each time, finds its prepared statement.
final class VisibilitySQL: Sendable {
    /// The rules that name the person by a parameter: their numbers, and each status rule's
    /// statuses in the order the text binds them.
    private let patientPIDs: [Int64]
    private let memberPIDs: [Int64]
    private let statusRules: [(pids: [Int64], statuses: [SQLValue])]
    /// The test that the resource of the patient reference `rp` is open: a status its rule
    /// names, or a rule without a status. Binds each status rule's statuses, in turn.
    private let open: String
    /// The Patient's own members (registration).
    private let registrationPIDs: [Int64]
    private let compartment: String
    private let texts = NIOLockedValueBox<[String: String]>([:])

    private init(_ relationships: CareRelationships, _ context: SearchContext) {
        func pids(_ type: String, _ codes: [String]) -> [Int64] { codes.flatMap { context.ids.pids(type, $0) } }
        let byParameter = relationships.rules.filter { $0.patient != nil }
        patientPIDs = byParameter.flatMap { pids($0.type, [$0.patient!]) }
        memberPIDs = byParameter.flatMap { pids($0.type, $0.members) }
        statusRules = byParameter.compactMap { rule in
            rule.status.map { (pids(rule.type, [$0]), rule.statuses.map { SearchKeyText.cap($0).sqlValue }) }
        }
        let statuses = statusRules.map { "(rs.pid \(VisibilityFilter.literals($0.pids)) AND rs.code \(RidSet.inList($0.statuses.count)))" }
        var open = statuses.isEmpty ? "FALSE" : "EXISTS (SELECT 1 FROM search_token rs WHERE rs.rid = rp.rid AND (\(statuses.joined(separator: " OR "))))"
        let alwaysOpen = byParameter.filter { $0.status == nil }.flatMap { pids($0.type, [$0.patient!]) }
        if !alwaysOpen.isEmpty { open = "(rp.pid \(VisibilityFilter.literals(alwaysOpen)) OR \(open))" }
        self.open = open
        registrationPIDs = relationships.rules.filter { $0.patient == nil }.flatMap { pids($0.type, $0.members) }
        compartment = VisibilityFilter.literals(context.compartmentPIDs(context.patientCompartment))
    }

    /// The one for `relationships` on the store of `context`, kept by the context (whose
    /// parameter numbers it holds, and which it must not outlive).
    static func of(_ relationships: CareRelationships, _ context: SearchContext) -> VisibilitySQL {
        context.visibilitySQL.withLockedValue { made in
            if let found = made[relationships.fingerprint] { return found }
            let sql = VisibilitySQL(relationships, context)
            made[relationships.fingerprint] = sql
            return sql
        }
    }

    private var byParameter: Bool { !patientPIDs.isEmpty && !memberPIDs.isEmpty }

    /// The values `related` binds, in its text's order: the identities for registration,
    /// the user and the time for grants, then the statuses and identities for the rules
    /// naming the person.
    func relatedArguments(who: [String], user: String, now: Int64, into arguments: inout [SQLValue]) {
        if !registrationPIDs.isEmpty, !who.isEmpty { arguments += who.map(\.sqlValue) }
        arguments += [user.sqlValue, now.sqlValue]
        if byParameter, !who.isEmpty {
            for rule in statusRules { arguments += rule.statuses }
            arguments += who.map(\.sqlValue)
        }
    }

    /// `VisibilityFilter.condition`'s text: `related` for the row itself if it is a Patient,
    /// then for each patient its compartment names.
    func condition(_ alias: String, whoCount: Int) -> String {
        text("condition \(alias) \(whoCount)") {
            """
            ((\(alias).type = 'Patient' AND \(related("\(alias).id", whoCount: whoCount))) OR (\(alias).type <> 'Patient' \
            AND NOT EXISTS (SELECT 1 FROM search_reference c WHERE c.rid = \(alias).rid AND c.pid \(compartment) \
            AND ((c.target_type = 'Patient' AND NOT \(related("c.target_id", whoCount: whoCount))) \
            OR (c.target_type = '' AND c.target_id LIKE '%/Patient/%')))))
            """
        }
    }

    /// The test that the viewer has a relationship with the Patient whose id is `patient`
    /// (an SQL expression), or a grant for them that has not ended. Cheapest first: the
    /// Patient's own registration (a seek or two), the grants, and last one probe of the
    /// person's references for the rules naming the person by a parameter (a parameter
    /// number belongs to one type, so the rules share it), each reference's status tested
    /// before its members, since most of a person's encounters and episodes are closed (in
    /// the other order, every finished encounter's providers were compared first).
    func related(_ patient: String, whoCount: Int) -> String {
        text("related \(patient) \(whoCount)") {
            var tests: [String] = []
            let who = RidSet.inList(whoCount)
            if !registrationPIDs.isEmpty, whoCount > 0 {
                tests.append("""
                    EXISTS (SELECT 1 FROM resource rp JOIN search_reference rm ON rm.rid = rp.rid WHERE rp.type = 'Patient' \
                    AND rp.id = \(patient) AND rp.deleted = 0 AND rm.pid \(VisibilityFilter.literals(registrationPIDs)) \
                    AND (rm.target_type || '/' || rm.target_id) \(who))
                    """)
            }
            tests.append("EXISTS (SELECT 1 FROM access_grant g WHERE g.patient = \(patient) AND g.user_id = ? AND g.expires > ?)")
            if byParameter, whoCount > 0 {
                tests.append("""
                    EXISTS (SELECT 1 FROM search_reference rp WHERE rp.target_type = 'Patient' AND rp.target_id = \(patient) \
                    AND rp.pid \(VisibilityFilter.literals(patientPIDs)) AND \(open) AND EXISTS (SELECT 1 FROM search_reference rm \
                    WHERE rm.rid = rp.rid AND rm.pid \(VisibilityFilter.literals(memberPIDs)) AND (rm.target_type || '/' || rm.target_id) \(who)))
                    """)
            }
            return "(" + tests.joined(separator: " OR ") + ")"
        }
    }

    /// The values `relatedSet` binds, in its text's order.
    func relatedSetArguments(who: [String], user: String, now: Int64, into arguments: inout [SQLValue]) {
        let pairs = VisibilityFilter.targets(who)
        if byParameter, !who.isEmpty {
            arguments += pairs
            for rule in statusRules { arguments += rule.statuses }
        }
        if !registrationPIDs.isEmpty, !who.isEmpty { arguments += pairs }
        arguments += [user.sqlValue, now.sqlValue]
    }

    /// The ids of the Patients the viewer is joined to, as one SELECT that names no outer
    /// column, so that the engines make it once per statement (SQLite an ephemeral index,
    /// PostgreSQL a hashed subplan): from each of the viewer's identities through the index
    /// by target, the open resources naming them as members and the patients those name;
    /// the Patients registered with them; their grants not yet ended.
    func relatedSet(whoCount: Int) -> String {
        text("set \(whoCount)") {
            var parts: [String] = []
            let seeks = VisibilityFilter.seeks("rm", count: whoCount)
            if byParameter, whoCount > 0 {
                parts.append("SELECT rp.target_id FROM search_reference rm JOIN search_reference rp ON rp.rid = rm.rid "
                    + "WHERE \(seeks) AND rm.pid \(VisibilityFilter.literals(memberPIDs)) "
                    + "AND rp.pid \(VisibilityFilter.literals(patientPIDs)) AND rp.target_type = 'Patient' AND \(open)")
            }
            if !registrationPIDs.isEmpty, whoCount > 0 {
                parts.append("SELECT rp.id FROM search_reference rm JOIN resource rp ON rp.rid = rm.rid "
                    + "WHERE \(seeks) AND rm.pid \(VisibilityFilter.literals(registrationPIDs)) AND rp.type = 'Patient' AND rp.deleted = 0")
            }
            parts.append("SELECT g.patient FROM access_grant g WHERE g.user_id = ? AND g.expires > ?")
            return parts.joined(separator: " UNION ")
        }
    }

    /// `condition` with each patient looked up in `relatedSet`.
    func conditionBySet(_ alias: String, whoCount: Int) -> String {
        text("set condition \(alias) \(whoCount)") {
            let set = relatedSet(whoCount: whoCount)
            return "((\(alias).type = 'Patient' AND \(alias).id IN (\(set))) OR (\(alias).type <> 'Patient' "
                + "AND NOT EXISTS (SELECT 1 FROM search_reference c WHERE c.rid = \(alias).rid AND c.pid \(compartment) "
                + "AND ((c.target_type = 'Patient' AND c.target_id NOT IN (\(set))) "
                + "OR (c.target_type = '' AND c.target_id LIKE '%/Patient/%')))))"
        }
    }

    private func text(_ key: String, _ make: () -> String) -> String {
        if let found = texts.withLockedValue({ $0[key] }) { return found }
        let made = make()
        texts.withLockedValue { $0[key] = made }
        return made
    }
}
