import Access
import ArgumentParser
import Foundation

/// `joinedup token`: signs a bearer token with the key file's signing key, for local use and
/// tests. A deployment's identity provider, sharing the keys, issues them otherwise.
struct Token: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Issue a bearer token for the server.")

    @Option(help: "The key file (`joinedup keys new`).")
    var keys = "joinedup-keys.json"

    @Option(help: "Who the token is for (its `sub`).")
    var user: String

    @Option(help: "The role: \(Role.all.map(\.code).joined(separator: ", ")).")
    var role: String

    @Option(help: "The ODS code of the organisation the user acts for (required for staff roles).")
    var org: String?

    @Option(help: "SMART scopes, space-separated: patient/*.read, user/Observation.rs, system/*.*")
    var scope: String

    @Option(help: "The patient id a patient/ scope is about (the person themselves, or whom a carer acts for).")
    var patient: String?

    @Option(help: "How long the token lasts, in minutes.")
    var minutes = 60

    func validate() throws {
        guard (1...(7 * 24 * 60)).contains(minutes) else { throw ValidationError("--minutes must be between 1 and 10080 (a week)") }
    }

    func run() throws {
        let keySet = try KeySet.load(from: keys)
        let now = Date()
        let token = try TokenIssuer.issue(user: user, role: role, organisation: org, scope: scope, patient: patient,
                                          lasting: TimeInterval(minutes * 60), now: now, with: keySet)
        // Checked as the server will check it, so a bad role or scope is said here, not at
        // the first request.
        do {
            _ = try TokenVerifier().verify(Substring(token), keys: keySet, now: now)
        } catch {
            throw ValidationError("\(error)")
        }
        print(token)
    }
}
