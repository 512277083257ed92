@testable import CareRecord
import FHIR
import Foundation
import Storage
import Testing
import TestSupport

/// Legitimate relationships on both engines: a viewer held to them (`RecordViewer`) finds,
/// counts, includes, chains to, reads and writes only the records of people they have a care
/// relationship with or a break-glass grant for; everyone else's answers as absent.
@Suite("Care relationships: only the people you care for")
struct CareRelationshipTests {
    /// Alice is registered with practice A81001; Bob with B82002 and nothing else; Carol has an
    /// open social care episode with the council (00T), Dave a finished one; Erin's care team
    /// has Dr Who (SDS user 555001) in it; Frank has a task owned by the hospital's standing
    /// discharge team, of which Dr Who is a member.
    struct Area {
        let test: TestRecord
        var record: CareRecord { test.record }

        static func make(_ engine: SQLEngine) async throws -> Area {
            let area = Area(test: try await TestRecord.on(engine))
            let resources: [String] = [
                #"{"resourceType":"Organization","id":"practice-a","identifier":[{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"A81001"}],"name":"Practice A"}"#,
                #"{"resourceType":"Organization","id":"practice-b","identifier":[{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"B82002"}],"name":"Practice B"}"#,
                #"{"resourceType":"Organization","id":"council","identifier":[{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"00T"}],"name":"The council"}"#,
                #"{"resourceType":"Practitioner","id":"dr-who","identifier":[{"system":"https://fhir.nhs.uk/Id/sds-user-id","value":"555001"}]}"#,
                #"{"resourceType":"Patient","id":"alice","name":[{"family":"Ashworth"}],"generalPractitioner":[{"reference":"Organization/practice-a"}]}"#,
                #"{"resourceType":"Patient","id":"bob","name":[{"family":"Brown"}],"generalPractitioner":[{"reference":"Organization/practice-b"}]}"#,
                #"{"resourceType":"Patient","id":"carol","name":[{"family":"Cole"}]}"#,
                #"{"resourceType":"Patient","id":"dave","name":[{"family":"Dunn"}]}"#,
                #"{"resourceType":"Patient","id":"erin","name":[{"family":"Evans"}]}"#,
                #"{"resourceType":"Patient","id":"frank","name":[{"family":"Fisher"}]}"#,
                #"{"resourceType":"EpisodeOfCare","id":"carol-episode","status":"active","patient":{"reference":"Patient/carol"},"managingOrganization":{"reference":"Organization/council"}}"#,
                #"{"resourceType":"EpisodeOfCare","id":"dave-episode","status":"finished","patient":{"reference":"Patient/dave"},"managingOrganization":{"reference":"Organization/council"}}"#,
                #"{"resourceType":"CareTeam","id":"erin-team","status":"active","subject":{"reference":"Patient/erin"},"participant":[{"member":{"reference":"Practitioner/dr-who"}}]}"#,
                #"{"resourceType":"CareTeam","id":"discharge-team","status":"active","name":"Discharge team","participant":[{"member":{"reference":"Practitioner/dr-who"}}]}"#,
                #"{"resourceType":"Task","id":"frank-task","status":"requested","intent":"order","for":{"reference":"Patient/frank"},"owner":{"reference":"CareTeam/discharge-team"}}"#,
            ]
            for text in resources { try await area.put(text) }
            for person in ["alice", "bob", "carol", "dave", "erin", "frank"] {
                try await area.put(#"{"resourceType":"Observation","id":"\#(person)-pulse","status":"final","code":{"text":"pulse"},"subject":{"reference":"Patient/\#(person)"}}"#)
            }
            return area
        }

        func put(_ text: String) async throws {
            let json = try JSONParser().parse(text)
            let key = ResourceKey(json["resourceType"]?.stringValue ?? "", json["id"]?.stringValue ?? "")
            _ = try await record.update(json, key: key)
        }

        func ids(_ type: String, _ parameters: [(String, String)] = [], as viewer: RecordViewer?) async throws -> Set<String> {
            try await RecordViewer.$current.withValue(viewer) {
                let request = SearchRequest(types: [type], parameters: parameters.map { QueryParameter(name: $0.0, value: $0.1) })
                return Set(try await record.search(request).page.matches.map(\.key.id))
            }
        }

        func page(_ type: String, _ parameters: [(String, String)], as viewer: RecordViewer?) async throws -> SearchPage {
            try await RecordViewer.$current.withValue(viewer) {
                try await record.search(SearchRequest(types: [type], parameters: parameters.map { QueryParameter(name: $0.0, value: $0.1) })).page
            }
        }
    }

    static let gp = RecordViewer(user: "gp-1", organisation: "A81001", relationships: .standard)
    static let socialWorker = RecordViewer(user: "sw-1", organisation: "00T", relationships: .standard)
    static let drWho = RecordViewer(user: "555001", organisation: "RR8", relationships: .standard)

    @Test(arguments: TestEngines.available)
    func searchesFindAndCountOnlyThePeopleEachViewerCaresFor(engine: SQLEngine) async throws {
        let area = try await Area.make(engine)
        #expect(try await area.ids("Patient", as: nil).count == 6)
        #expect(try await area.ids("Patient", as: Self.gp) == ["alice"])
        #expect(try await area.ids("Patient", as: Self.socialWorker) == ["carol"])
        #expect(try await area.ids("Patient", as: Self.drWho) == ["erin", "frank"])
        #expect(try await area.ids("Observation", as: Self.drWho) == ["erin-pulse", "frank-pulse"])
        // Resources about no one are everyone's to see.
        #expect(try await area.ids("Organization", as: Self.gp).count == 3)
        // Counts and a total-only search count what the viewer may see, and nothing else.
        let counted = try await area.page("Observation", [("_total", "accurate")], as: Self.socialWorker)
        #expect(counted.total == 1)
        let summary = try await area.page("Observation", [("_summary", "count")], as: Self.gp)
        #expect(summary.total == 1)
        // Paging: one at a time, the pages hold only Alice's and Carol's... for the GP, Alice's.
        let first = try await area.page("Patient", [("_count", "1")], as: Self.drWho)
        #expect(first.matches.count == 1 && first.next != nil)
        let second = try await area.page("Patient", [("_count", "1"), ("_cursor", try #require(first.next))], as: Self.drWho)
        #expect(Set((first.matches + second.matches).map(\.key.id)) == ["erin", "frank"] && second.next == nil)
        // By identifier, name or id, someone else is as if absent.
        #expect(try await area.ids("Patient", [("_id", "bob")], as: Self.gp).isEmpty)
        #expect(try await area.ids("Patient", [("family", "Brown")], as: Self.gp).isEmpty)
        #expect(try await area.ids("Observation", [("subject", "Patient/bob")], as: Self.gp).isEmpty)
    }

    @Test(arguments: TestEngines.available)
    func includesChainsAndHasRevealNoOneElse(engine: SQLEngine) async throws {
        let area = try await Area.make(engine)
        // _revinclude from a shared resource: only the GP's own patient comes along.
        let practices = try await area.page("Organization", [("_revinclude", "Patient:general-practitioner")], as: Self.gp)
        #expect(Set(practices.included.map(\.key.id)) == ["alice"])
        // _include from a match to someone it names.
        let episodes = try await area.page("EpisodeOfCare", [("_include", "EpisodeOfCare:patient")], as: Self.socialWorker)
        #expect(episodes.matches.map(\.key.id) == ["carol-episode"] && episodes.included.map(\.key.id) == ["carol"])
        // A chain into someone else's record finds nothing, though the system finds it.
        #expect(try await area.ids("Observation", [("subject:Patient.family", "Brown")], as: nil) == ["bob-pulse"])
        #expect(try await area.ids("Observation", [("subject:Patient.family", "Brown")], as: Self.gp).isEmpty)
        // _has over a shared resource would tell whether practice B has a patient called
        // Brown: not to the GP of practice A.
        let probe = [("_has:Patient:general-practitioner:family", "Brown")]
        #expect(try await area.ids("Organization", probe, as: nil) == ["practice-b"])
        #expect(try await area.ids("Organization", probe, as: Self.gp).isEmpty)
        // Nor a chain from a shared resource's side: Patients are not searched as Bob's practice's.
        #expect(try await area.ids("Organization", [("_has:Patient:general-practitioner:family", "Ashworth")], as: Self.gp) == ["practice-a"])
    }

    @Test(arguments: TestEngines.available)
    func readsHistoryAndEverythingAnswerAsIfAbsent(engine: SQLEngine) async throws {
        let area = try await Area.make(engine)
        try await RecordViewer.$current.withValue(Self.gp) {
            #expect(try await area.record.read(ResourceKey("Patient", "alice")).key.id == "alice")
            for key in [ResourceKey("Patient", "bob"), ResourceKey("Observation", "bob-pulse"), ResourceKey("Patient", "nobody")] {
                await #expect(throws: RecordError.self) { _ = try await area.record.read(key) }
                await #expect(throws: RecordError.self) { _ = try await area.record.read(key, version: 1) }
                do { _ = try await area.record.history(HistoryQuery(scope: .instance(key))); Issue.record("history of \(key) read") } catch let error as RecordError {
                    #expect(error.kind == .notFound)
                }
            }
            do { _ = try await area.record.history(HistoryQuery(scope: .type("Patient"))); Issue.record("type history read") } catch let error as RecordError {
                #expect(error.kind == .forbidden)
            }
            do { _ = try await area.record.everything(patient: "bob", parameters: []); Issue.record("Bob's $everything read") } catch let error as RecordError {
                #expect(error.kind == .notFound)
            }
            let everything = try await area.record.everything(patient: "alice", parameters: []).page
            #expect(Set(everything.matches.map(\.key.id)).isSuperset(of: ["alice", "alice-pulse"]))
        }
    }

    @Test(arguments: TestEngines.available)
    func writesStayInsideTheViewersRelationships(engine: SQLEngine) async throws {
        let area = try await Area.make(engine)
        func observation(_ id: String, _ patient: String) throws -> JSON {
            try JSONParser().parse(#"{"resourceType":"Observation","id":"\#(id)","status":"final","code":{"text":"weight"},"subject":{"reference":"Patient/\#(patient)"}}"#)
        }
        try await RecordViewer.$current.withValue(Self.gp) {
            // Into someone else's record: refused, nothing written.
            do { _ = try await area.record.create(try observation("x", "bob"), type: "Observation"); Issue.record("wrote into Bob's record") } catch let error as RecordError {
                #expect(error.kind == .forbidden)
            }
            // Someone else's resource: as if absent, to update, patch or delete.
            do { _ = try await area.record.update(try observation("bob-pulse", "alice"), key: ResourceKey("Observation", "bob-pulse")); Issue.record("took Bob's") } catch let error as RecordError {
                #expect(error.kind == .notFound)
            }
            do { _ = try await area.record.delete(ResourceKey("Observation", "bob-pulse")); Issue.record("deleted Bob's") } catch let error as RecordError {
                #expect(error.kind == .notFound)
            }
            // Nor does anything about it answer first: a wrong If-Match (412 would say it
            // exists, and its version), a patch's failing `test` (422 would say what it
            // holds), an update that changes nothing (200 would hand it out).
            let bobs = ResourceKey("Observation", "bob-pulse")
            let probes: [() async throws -> Void] = [
                { _ = try await area.record.update(try observation("bob-pulse", "bob"), key: bobs, ifMatch: 7) },
                { _ = try await area.record.delete(bobs, ifMatch: 7) },
                { _ = try await area.record.patch(bobs, with: try JSONPatch(json: try JSONParser().parse(#"[{"op":"test","path":"/status","value":"wrong"}]"#))) },
                { _ = try await area.record.update(try JSONParser().parse(#"{"resourceType":"Observation","id":"bob-pulse","status":"final","code":{"text":"pulse"},"subject":{"reference":"Patient/bob"}}"#), key: bobs) },
            ]
            for (index, probe) in probes.enumerated() {
                do { try await probe(); Issue.record("probe \(index) answered") } catch let error as RecordError {
                    #expect(error.kind == .notFound, "probe \(index): \(error)")
                }
            }
            // Their own patient's: fine; moving it into someone else's record is not.
            _ = try await area.record.create(try observation("w", "alice"), type: "Observation")
            do { _ = try await area.record.update(try observation("alice-pulse", "bob"), key: ResourceKey("Observation", "alice-pulse")); Issue.record("moved Alice's to Bob") } catch let error as RecordError {
                #expect(error.kind == .forbidden)
            }
        }
        #expect(try await area.ids("Observation", [("subject", "Patient/bob")], as: nil) == ["bob-pulse"])
        #expect(try await area.record.read(ResourceKey("Observation", "bob-pulse")).version == 1)
        #expect(try await area.ids("Observation", [("subject", "Patient/alice")], as: nil).count == 2)
        // A referral the GP writes for their patient to the council opens the council's view.
        try await RecordViewer.$current.withValue(Self.gp) {
            try await area.put(#"{"resourceType":"ServiceRequest","id":"alice-referral","status":"active","intent":"order","subject":{"reference":"Patient/alice"},"performer":[{"reference":"Organization/council"}]}"#)
        }
        #expect(try await area.ids("Patient", as: Self.socialWorker) == ["alice", "carol"])
    }

    @Test(arguments: TestEngines.available)
    func breakingTheGlassOpensOneRecordForAWhileAndIsListed(engine: SQLEngine) async throws {
        let area = try await Area.make(engine)
        await #expect(throws: RecordError.self) { _ = try await area.record.breakGlass(Self.gp, role: "gp", patient: "bob", reason: "  ") }
        await #expect(throws: RecordError.self) { _ = try await area.record.breakGlass(Self.gp, role: "gp", patient: "nobody", reason: "unconscious in A&E") }
        let grant = try await area.record.breakGlass(Self.gp, role: "gp", patient: "bob", reason: "unconscious in A&E")
        #expect(grant.expires.millisecondsSince1970 - grant.granted.millisecondsSince1970 == 240 * 60 * 1000)
        #expect(try await area.ids("Patient", as: Self.gp) == ["alice", "bob"])
        #expect(try await area.ids("Observation", as: Self.gp) == ["alice-pulse", "bob-pulse"])
        // Another user of the same practice has not broken the glass.
        #expect(try await area.ids("Patient", as: RecordViewer(user: "gp-2", organisation: "A81001", relationships: .standard)) == ["alice"])
        #expect(try await area.record.accessGrants(organisation: "A81001") == [grant])
        #expect(try await area.record.accessGrants(organisation: "00T").isEmpty)
        // Grants are append-only.
        await #expect(throws: (any Error).self) {
            try await area.record.writeTables { try $0.execute("UPDATE access_grant SET expires = 0") }
        }
    }

    @Test(arguments: TestEngines.available)
    func anExpiredGrantSeesNothing(engine: SQLEngine) async throws {
        let area = try await Area.make(engine)
        try await area.record.writeTables { connection in
            try connection.execute("""
                INSERT INTO access_grant (user_id, organisation, role, patient, reason, granted, expires) \
                VALUES ('gp-1', 'A81001', 'gp', 'bob', 'long ago', 1000, 2000)
                """)
        }
        #expect(try await area.ids("Patient", as: Self.gp) == ["alice"])
    }

    /// A deployment's own table is checked whole, each fault named with its place.
    @Test(arguments: [
        ("\"type\": \"CareTeam\"", "\"type\": \"Team\"", "relationships[0]: 'Team' is not an R4 resource type"),
        ("\"members\": [\"participant\"]", "\"members\": [\"nonsense\"]", "relationships[0].members: CareTeam has no search parameter 'nonsense'"),
        ("\"members\": [\"participant\"]", "\"members\": [\"status\"]", "relationships[0].members: CareTeam 'status' is a token parameter, not a reference"),
        ("\"statuses\": [\"proposed\", \"active\", \"suspended\"]", "\"statuses\": []", "relationships[0]: a status parameter needs the statuses"),
        ("\"breakGlassMinutes\": 240", "\"breakGlassMinutes\": 0", "breakGlassMinutes is between 1 and 1440"),
        ("\"type\": \"EpisodeOfCare\", \"patient\": \"patient\",", "\"type\": \"EpisodeOfCare\",", "relationships[1]: a rule on EpisodeOfCare names the parameter"),
    ])
    func aWrongTableIsRefusedWithAReason(change: (String, String, String)) throws {
        let json = CareRelationships.standardJSON
        #expect(json.contains(change.0), "the standard table has \(change.0)")
        let broken = json.replacingOccurrences(of: change.0, with: change.1)
        do {
            _ = try CareRelationships(json: Data(broken.utf8))
            Issue.record("accepted: \(change.1)")
        } catch {
            #expect(error.description.contains(change.2), "\(error.description)")
        }
        #expect(CareRelationships.standard.ruleNames.count == 6)
    }
}
