import CareRecord
import FHIR
import Foundation
import Testing

@Suite("joinedup serve --demo: a living record at once")
struct DemoServeTests {
    let demo = ["serve", "--demo", "--demo-people", "300", "--port", "0"]

    /// Patients stored, and versions written: a second load would add none of the first
    /// (it rewrites the same resources unchanged) but would still show in the output.
    func stored(_ database: String) async throws -> (patients: Int, organisations: Int, versions: Int) {
        let record = try CareRecord(path: database)
        let counts = try await record.counts()
        let versions = try await record.changes(after: 0, limit: 1_000_000).count
        return (counts["Patient"] ?? 0, counts["Organization"] ?? 0, versions)
    }

    /// The token the demo prints for the person at the terminal (`export TOKEN=...`), once
    /// it is listening (the line may follow the port's log line by a moment).
    func printedToken(_ server: JoinedUpProcess) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let line = server.standardOutput.split(separator: "\n").first(where: { $0.contains("export TOKEN=") }) {
                return String(line.split(separator: "=", maxSplits: 1)[1])
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TimeoutError(what: "the demo's token; it printed: \(server.standardOutput)")
    }

    /// Reads the first generated person and the GP practice they are registered with, with
    /// the token the demo printed, after checking that without it the record is closed.
    func readPatientAndPractice(_ base: String, _ server: JoinedUpProcess) async throws {
        #expect(try await HTTP.send("GET", "\(base)/Patient/p-0000001").status == 401)
        let token = try await printedToken(server)
        let patient = try await HTTP.send("GET", "\(base)/Patient/p-0000001", token: token)
        #expect(patient.status == 200)
        let json = try JSONParser().parse(Array(patient.body))
        let practice = try #require(json["generalPractitioner"]?.arrayValue?.first?["reference"]?.stringValue)
        #expect(practice.hasPrefix("Organization/"))
        let organisation = try await HTTP.send("GET", "\(base)/\(practice)", token: token)
        #expect(organisation.status == 200)
        #expect(try JSONParser().parse(Array(organisation.body))["resourceType"]?.stringValue == "Organization")
    }

    @Test func generatesAndServesAnAreaThenReusesItOnTheNextStart() async throws {
        let folder = try TemporaryFolder()
        // No --database: the demo's own default file, in the folder the server runs in.
        let database = folder.path("joinedup-demo.sqlite")

        let first = try JoinedUpProcess(demo, in: folder.url)
        let port = try await first.waitForPort(timeout: .seconds(120))
        try await readPatientAndPractice("http://127.0.0.1:\(port)/fhir", first)
        first.signal(SIGTERM)
        #expect(try await first.waitForExit(timeout: .seconds(60)) == 0)
        #expect(first.standardOutput.contains("Generating a demo area of 300 people (seed 1)"), "\(first.standardOutput)")
        #expect(first.standardOutput.contains("Loaded "))
        #expect(!first.standardOutput.contains("refused"), "every generated resource is valid: \(first.standardOutput)")
        #expect(first.standardOutput.contains("Serving FHIR R4 at http://127.0.0.1:\(port)/fhir"))
        let loaded = try await stored(database)
        #expect(loaded.patients >= 300, "the 300 living there at the start, and any born or moved in since")
        #expect(loaded.organisations > 0)

        let second = try JoinedUpProcess(demo, in: folder.url)
        let again = try await second.waitForPort(timeout: .seconds(60))
        try await readPatientAndPractice("http://127.0.0.1:\(again)/fhir", second)
        second.signal(SIGTERM)
        #expect(try await second.waitForExit(timeout: .seconds(60)) == 0)
        #expect(second.standardOutput.contains("Reusing the demo area"), "\(second.standardOutput)")
        #expect(!second.standardOutput.contains("Generating"))
        let reused = try await stored(database)
        #expect(reused.patients == loaded.patients)
        #expect(reused.versions == loaded.versions, "nothing was written on the second start")
    }

    @Test func refusesAStoreThatHoldsSomethingElse() async throws {
        let folder = try TemporaryFolder()
        let database = folder.path("record.sqlite")
        let file = folder.path("one.ndjson")
        try "{\"resourceType\": \"Patient\", \"id\": \"someone\"}\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try await JoinedUpProcess.run(["import", "--database", database, file], in: folder.url).status == 0)

        let run = try await JoinedUpProcess.run(demo + ["--database", database], in: folder.url)
        #expect(run.status != 0)
        #expect(run.errors.contains("not a demo area"), "\(run.errors)")
        #expect(try await stored(database).patients == 1, "nothing was added to someone else's store")
    }

    @Test func refusesADifferentDemoAreaInTheSameFile() async throws {
        let folder = try TemporaryFolder()
        let first = try JoinedUpProcess(demo, in: folder.url)
        _ = try await first.waitForPort(timeout: .seconds(120))
        first.signal(SIGTERM)
        #expect(try await first.waitForExit(timeout: .seconds(60)) == 0)

        let run = try await JoinedUpProcess.run(["serve", "--demo", "--demo-people", "301", "--port", "0"], in: folder.url)
        #expect(run.status != 0)
        #expect(run.errors.contains("holds a different demo area (300 people"), "\(run.errors)")
    }

    /// A store made by an older generator holds a different area for the same seed: it is
    /// refused, naming the generator, rather than served as if it were current.
    @Test func refusesADemoStoreMadeByAnOlderGenerator() async throws {
        let folder = try TemporaryFolder()
        let first = try JoinedUpProcess(demo, in: folder.url)
        _ = try await first.waitForPort(timeout: .seconds(120))
        first.signal(SIGTERM)
        #expect(try await first.waitForExit(timeout: .seconds(60)) == 0)
        // The marker as an older generator would have left it (Python's sqlite3 stands in for it).
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            + "c.execute(\"UPDATE joinedup_demo_area SET generator = 'unversioned'\"); c.commit()", folder.path("joinedup-demo.sqlite")]
        try python.run()
        python.waitUntilExit()
        #expect(python.terminationStatus == 0)

        let run = try await JoinedUpProcess.run(demo, in: folder.url)
        #expect(run.status != 0)
        #expect(run.errors.contains("generator unversioned"), "\(run.errors)")
    }
}
