import ArgumentParser
import CareRecord
import Foundation

/// `joinedup audit`: checks the audit log's chain, and prints a person's access report, from
/// the store itself (the server need not run; it may, since the log is only appended to).
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify the audit log's hash chain, or print who has looked at a person's record.",
        subcommands: [Verify.self, Report.self]
    )

    struct Location: ParsableArguments {
        @Option(help: "Where the record is kept: a SQLite file or a postgres:// address.")
        var database = "joinedup.sqlite"
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every entry's number and hash; exit 1 at the first change or gap found.",
            discussion: """
                A change made behind the server's back breaks the chain at that entry. Someone able \
                to rewrite the whole chain from some entry on, or to cut the end off, is caught by \
                the head: write down the `head` this prints (somewhere they cannot reach) and pass \
                it back later with --expect.
                """)
        @OptionGroup var location: Location
        @Option(help: "A head printed earlier, as SEQUENCE:HASH; the log must still hold it.")
        var expect: String?

        func validate() throws {
            if let expect, AuditAnchor(expect) == nil {
                throw ValidationError("--expect takes SEQUENCE:HASH as `joinedup audit verify` printed it (a number, a colon, 64 hex digits)")
            }
        }

        func run() async throws {
            let record = try await CareRecord.open(try storeLocation(location.database))
            defer { record.close() }
            let verification = try await record.verifyAudit(expecting: expect.flatMap(AuditAnchor.init))
            if let fault = verification.fault {
                print("The audit log has been tampered with: \(fault).")
                print("\(verification.count) entries before it hold.")
                throw ExitCode(1)
            }
            print("\(verification.count) entries; the chain holds\(expect == nil ? "" : " and reaches the head expected").")
            if let head = verification.head { print("head \(head)") }
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the entries that touched a person's record, newest first (as GET /fhir/AuditEvent?patient= gives them).")
        @OptionGroup var location: Location
        @Option(help: "The Patient's id.")
        var patient: String
        @Option(help: "How many entries at most.")
        var count = 50

        func run() async throws {
            let record = try await CareRecord.open(try storeLocation(location.database))
            defer { record.close() }
            for entry in try await record.auditEntries(patient: patient, count: count) {
                let who = [entry.agent.user ?? "(no valid token)", entry.agent.role, entry.agent.organisation]
                    .compactMap { $0 }.joined(separator: " ")
                let what = entry.entities.map(\.reference).joined(separator: " ")
                print("\(entry.sequence)\t\(entry.recorded)\t\(who)\t\(entry.interaction) \(entry.status)\t\(what)")
            }
        }
    }
}
