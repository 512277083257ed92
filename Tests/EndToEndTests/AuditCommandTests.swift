import Foundation
import Testing

/// `joinedup audit` as an operator uses it on a store a real server wrote: the chain verifies
/// and prints its head, a person's report names who looked, and a change made to the file
/// behind the server's back (with another tool, triggers dropped) is found, as is a log cut
/// short when the head written down earlier is given back.
@Suite("joinedup audit")
struct AuditCommandTests {
    /// Runs SQL on the store with Python's sqlite3, as someone with the file would.
    func tamper(_ store: String, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()",
                             store, sql]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test func verifyFindsTamperingAndReportNamesWhoLooked() async throws {
        let folder = try TemporaryFolder()
        let store = folder.path("record.sqlite")
        let keys = folder.path("keys.json")
        #expect(try await JoinedUpProcess.run(["keys", "new", "--keys", keys], in: folder.url).status == 0)
        // Ann is registered with Dr Jones's practice (A81001), so the GP may read her record.
        let people = #"""
            {"resourceType":"Organization","id":"practice","identifier":[{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"A81001"}]}
            {"resourceType":"Patient","id":"ann","name":[{"family":"Ashworth"}],"generalPractitioner":[{"reference":"Organization/practice"}]}
            """#
        try Data(people.utf8 + [10]).write(to: folder.url.appendingPathComponent("people.ndjson"))
        let imported = try await JoinedUpProcess.run(["import", "--database", store, folder.path("people.ndjson")], in: folder.url)
        #expect(imported.status == 0, "\(imported.errors)")

        let server = try JoinedUpProcess(["serve", "--port", "0", "--database", store, "--keys", keys], in: folder.url)
        let base = "http://127.0.0.1:\(try await server.waitForPort())/fhir"
        let gp = try await JoinedUpProcess.run(["token", "--keys", keys, "--user", "dr-jones", "--role", "gp", "--org", "A81001",
                                                "--scope", "user/*.read"], in: folder.url)
        let token = gp.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try await HTTP.send("GET", "\(base)/Patient/ann", token: token).status == 200)
        #expect(try await HTTP.send("GET", "\(base)/Patient/ann").status == 401)
        server.signal(SIGTERM)
        _ = try await server.waitForExit(timeout: .seconds(30))

        let verified = try await JoinedUpProcess.run(["audit", "verify", "--database", store], in: folder.url)
        #expect(verified.status == 0, "\(verified.errors)")
        #expect(verified.output.contains("3 entries; the chain holds"), "\(verified.output)")
        let head = try #require(verified.output.split(separator: "\n").first { $0.hasPrefix("head ") }?.dropFirst(5)).description
        let report = try await JoinedUpProcess.run(["audit", "report", "--database", store, "--patient", "ann"], in: folder.url)
        let lines = report.output.split(separator: "\n")
        // Newest first; the import (the first entry) names no one resource, so it is in the
        // log (three entries) but in no one's report.
        #expect(lines.count == 2, "\(report.output)")
        #expect(lines.first?.contains("(no valid token)") == true && lines.first?.contains("read 401") == true)
        #expect(lines.last?.contains("dr-jones gp A81001") == true && lines.last?.contains("read 200") == true, "\(report.output)")

        try tamper(store, """
            DROP TRIGGER audit_event_append_only_update; DROP TRIGGER audit_event_append_only_delete;
            UPDATE audit_event SET user_id = 'someone-else' WHERE seq = 2;
            """)
        let altered = try await JoinedUpProcess.run(["audit", "verify", "--database", store], in: folder.url)
        #expect(altered.status == 1)
        #expect(altered.output.contains("entry 2 was altered"), "\(altered.output)")

        try tamper(store, "UPDATE audit_event SET user_id = 'dr-jones' WHERE seq = 2; DELETE FROM audit_event WHERE seq = 3;")
        let shortened = try await JoinedUpProcess.run(["audit", "verify", "--database", store], in: folder.url)
        #expect(shortened.status == 0, "the chain alone cannot see its end cut off")
        let expected = try await JoinedUpProcess.run(["audit", "verify", "--database", store, "--expect", head], in: folder.url)
        #expect(expected.status == 1)
        #expect(expected.output.contains("entry 3 is missing"), "\(expected.output)")
        let malformed = try await JoinedUpProcess.run(["audit", "verify", "--database", store, "--expect", "3:zz"], in: folder.url)
        #expect(malformed.status != 0 && malformed.errors.contains("SEQUENCE:HASH"), "\(malformed.errors)")
    }
}
