import Foundation
import Testing

/// `joinedup keys` and `joinedup token` as a person at the terminal uses them, against a
/// real server: a token issued works, a rotation keeps it working, retiring its key ends it.
@Suite("joinedup keys and token")
struct TokenCommandTests {
    func token(_ folder: TemporaryFolder, _ arguments: [String]) async throws -> (status: Int32, token: String, errors: String) {
        let run = try await JoinedUpProcess.run(["token", "--keys", folder.path("keys.json")] + arguments, in: folder.url)
        return (run.status, run.output.trimmingCharacters(in: .whitespacesAndNewlines), run.errors)
    }

    @Test func issuedTokensWorkUntilTheirKeyIsRetired() async throws {
        let folder = try TemporaryFolder()
        let keys = folder.path("keys.json")
        #expect(try await JoinedUpProcess.run(["keys", "new", "--keys", keys], in: folder.url).status == 0)
        let again = try await JoinedUpProcess.run(["keys", "new", "--keys", keys], in: folder.url)
        #expect(again.status != 0 && again.errors.contains("exists already"), "\(again.errors)")
        let permissions = try FileManager.default.attributesOfItem(atPath: keys)[.posixPermissions] as? Int
        #expect(permissions == 0o600)

        let reader = try await token(folder, ["--user", "dr-jones", "--role", "gp", "--org", "A81001", "--scope", "user/Patient.read"])
        #expect(reader.status == 0, "\(reader.errors)")
        let server = try JoinedUpProcess(["serve", "--port", "0", "--database", folder.path("record.sqlite"), "--keys", keys], in: folder.url)
        let base = "http://127.0.0.1:\(try await server.waitForPort())/fhir"
        #expect(try await HTTP.send("GET", "\(base)/Patient", token: reader.token).status == 200)
        #expect(try await HTTP.send("GET", "\(base)/Observation", token: reader.token).status == 403)

        // Rotated: the old token still works, a new one is signed by the new key.
        let list = try await JoinedUpProcess.run(["keys", "list", "--keys", keys], in: folder.url)
        let oldKey = try #require(list.output.split(separator: "\n").dropFirst().first?.split(separator: " ").first.map(String.init))
        #expect(try await JoinedUpProcess.run(["keys", "rotate", "--keys", keys], in: folder.url).status == 0)
        let fresh = try await token(folder, ["--user", "dr-jones", "--role", "gp", "--org", "A81001", "--scope", "user/Patient.read"])
        try await Task.sleep(for: .milliseconds(1_100))   // the server looks at the file once a second at most
        #expect(try await HTTP.send("GET", "\(base)/Patient", token: fresh.token).status == 200)
        #expect(try await HTTP.send("GET", "\(base)/Patient", token: reader.token).status == 200)

        // Retired: tokens of the old key stop working at once, without a restart.
        #expect(try await JoinedUpProcess.run(["keys", "retire", "--keys", keys, oldKey], in: folder.url).status == 0)
        try await Task.sleep(for: .milliseconds(1_100))
        #expect(try await HTTP.send("GET", "\(base)/Patient", token: reader.token).status == 401)
        #expect(try await HTTP.send("GET", "\(base)/Patient", token: fresh.token).status == 200)
        let jwks = try await JoinedUpProcess.run(["keys", "list", "--keys", keys, "--public-jwks"], in: folder.url)
        #expect(jwks.output.contains("\"crv\" : \"P-256\"") && !jwks.output.contains("secret"), "\(jwks.output)")
        server.signal(SIGTERM)
        _ = try await server.waitForExit(timeout: .seconds(30))
    }

    @Test func aTokenTheServerWouldRefuseIsNotIssued() async throws {
        let folder = try TemporaryFolder()
        #expect(try await JoinedUpProcess.run(["keys", "new", "--keys", folder.path("keys.json")], in: folder.url).status == 0)
        let badRole = try await token(folder, ["--user", "u", "--role", "superuser", "--org", "A81001", "--scope", "user/*.read"])
        #expect(badRole.status != 0 && badRole.errors.contains("not a known role"), "\(badRole.errors)")
        let noOrg = try await token(folder, ["--user", "u", "--role", "nurse", "--scope", "user/*.read"])
        #expect(noOrg.status != 0 && noOrg.errors.contains("ODS"), "\(noOrg.errors)")
        let badScope = try await token(folder, ["--user", "u", "--role", "nurse", "--org", "RXX", "--scope", "user/Unicorn.read"])
        #expect(badScope.status != 0 && badScope.errors.contains("Unicorn"), "\(badScope.errors)")
        let noPatient = try await token(folder, ["--user", "u", "--role", "person", "--scope", "patient/*.read"])
        #expect(noPatient.status != 0 && noPatient.errors.contains("patient"), "\(noPatient.errors)")
        let missingFile = try await JoinedUpProcess.run(["token", "--keys", folder.path("none.json"), "--user", "u", "--role", "system",
                                                         "--scope", "system/*.*"], in: folder.url)
        #expect(missingFile.status != 0 && missingFile.errors.contains("cannot read the key file"), "\(missingFile.errors)")
    }
}
