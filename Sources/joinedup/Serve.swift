import Access
import App
import ArgumentParser
import CareRecord
import Foundation
import Hummingbird
import Logging
import Storage

/// `joinedup serve`: the FHIR server, on the embedded store or on PostgreSQL.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the FHIR R4 server.")

    @Option(help: "Where the record is kept: a SQLite file (created if missing) or a postgres://user@host:port/database[?schema=NAME] address. Default: joinedup.sqlite, or joinedup-demo.sqlite with --demo.")
    var database: String?

    @Option(help: "A streaming replica of the PostgreSQL --database (postgres://...) to send reads to: reads, searches and histories go there once it has replayed this server's writes, and to the primary until then.")
    var readReplica: String?

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port = 8080

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    @Option(help: "The largest request body accepted, in bytes.")
    var maxBodyBytes = 64 << 20

    @Option(help: "The deepest JSON nesting accepted in a request body.")
    var maxJSONDepth = 64

    @Option(help: "The key file bearer tokens are checked with; made (one ES256 key) if missing. Default: joinedup-keys.json, or joinedup-demo-keys.json with --demo. Read again when it changes (`joinedup keys rotate`).")
    var keys: String?

    @Option(help: "Requests a second each user may make (their token's `sub`; system tokens are not limited); more get 429.")
    var userRate: Double = RateLimits().userPerSecond

    @Option(help: "Requests a user may make at once before --user-rate holds them back.")
    var userBurst: Int = RateLimits().userBurst

    @Option(help: "A JSON file of what each role may read and write, replacing the standard table (`joinedup policy` prints it to start from).")
    var policy: String?

    @Option(help: "A JSON file of what joins a member of staff to a person (care team, episode, referral, task...), replacing the standard table (`joinedup policy --relationships` prints it).")
    var relationships: String?

    @Flag(help: "Serve a synthetic local area: generated and loaded on the first start, reused afterwards.")
    var demo = false

    @Option(help: "How many people live in the demo area.")
    var demoPeople = 3000

    @Option(help: "The random seed of the demo area.")
    var demoSeed: UInt64 = 1

    func validate() throws {
        if !(userRate > 0) || userBurst < 1 { throw ValidationError("--user-rate must be above 0 and --user-burst at least 1") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard maxBodyBytes > 0 else { throw ValidationError("--max-body-bytes must be positive") }
        guard (8...1000).contains(maxJSONDepth) else { throw ValidationError("--max-json-depth must be between 8 and 1000") }
        guard demoPeople > 0 else { throw ValidationError("--demo-people must be at least 1") }
        if let database, demo, try storeLocation(database).engine == .postgres {
            throw ValidationError("--demo keeps its area in a SQLite file; leave out --database or name a file")
        }
        if let readReplica {
            guard let database, try storeLocation(database).engine == .postgres else {
                throw ValidationError("--read-replica needs a PostgreSQL --database (postgres://...)")
            }
            guard PostgresAddress.isAddress(readReplica) else {
                throw ValidationError("--read-replica must be a postgres:// address")
            }
        }
    }

    func run() async throws {
        let database = database ?? (demo ? "joinedup-demo.sqlite" : "joinedup.sqlite")
        let keys = keys ?? (demo ? "joinedup-demo-keys.json" : "joinedup-keys.json")
        let accessPolicy: AccessPolicy
        do {
            accessPolicy = try policy.map { path throws(AccessPolicyError) in try AccessPolicy.load(from: path) } ?? .standard
        } catch {
            throw ValidationError("--policy: \(error)")
        }
        let careRelationships: CareRelationships
        do {
            careRelationships = try relationships.map { path throws(CareRelationshipsError) in try CareRelationships.load(from: path) } ?? .standard
        } catch {
            throw ValidationError("--relationships: \(error)")
        }
        let configuration = AppConfiguration(host: host, port: port, database: database, readReplica: readReplica,
                                             logLevel: Logger.Level(rawValue: logLevel) ?? .info, maxBodyBytes: maxBodyBytes,
                                             maxJSONDepth: maxJSONDepth, keys: keys, policy: accessPolicy,
                                             rateLimits: RateLimits(userPerSecond: userRate, userBurst: userBurst),
                                             relationships: careRelationships)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = configuration.logLevel
            return handler
        }
        if demo {
            // In its own scope, so its connections close before the server opens the store.
            try await DemoArea(people: demoPeople, seed: demoSeed).prepare(try CareRecord(path: database), say: say)
        }
        if !FileManager.default.fileExists(atPath: keys) {
            try KeySet().save(to: keys)
            say("Made the key file \(keys) (readable by you only): tokens are signed with it by `joinedup token --keys \(keys) ...`")
        }
        let host = host
        let demoToken = demo ? try Self.demoToken(keys) : nil
        let app = try await buildApplication(configuration) { port in
            say("Serving FHIR R4 at http://\(host):\(port)/fhir (Ctrl-C stops it)")
            if let demoToken {
                say("Every request but /fhir/metadata needs a bearer token. One for this demo (system/*.*, 12 hours):")
                say("  export TOKEN=\(demoToken)")
                say("  curl -H \"Authorization: Bearer $TOKEN\" 'http://\(host):\(port)/fhir/Patient?_count=5'")
            }
        }
        try await app.runService()
    }
}

extension Serve {
    /// A token allowed everything, for trying the demo at once.
    static func demoToken(_ path: String) throws -> String {
        try TokenIssuer.issue(user: "demo", role: "system", organisation: nil, scope: "system/*.*", lasting: 12 * 3600,
                              with: try KeySet.load(from: path))
    }
}

/// A line for the person at the terminal, written at once: `print` is buffered when output
/// goes to a file, and a server's output must be readable while it runs.
@Sendable func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
