import Access
import CareRecord
import Logging

/// Everything the server needs to start, with its defaults in one place. The command line
/// fills it; tests build their own.
public struct AppConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Where the record is kept: a SQLite file (`PATH` or `sqlite:PATH`) or a PostgreSQL
    /// database (`postgres://...`); see `StoreLocation`.
    public var database: String
    /// A streaming replica of a PostgreSQL `database` that takes reads (`postgres://...`).
    public var readReplica: String?
    public var logLevel: Logger.Level
    /// Largest request body accepted; larger ones get 413 before they are read.
    public var maxBodyBytes: Int
    /// Deepest JSON nesting accepted in a body.
    public var maxJSONDepth: Int
    /// The key file bearer tokens are checked with (`KeySet`; made by `joinedup keys new`).
    /// Read again when it changes, so keys rotate without a restart.
    public var keys: String
    /// What each role may read and write (`AccessPolicy`; `joinedup serve --policy FILE`).
    public var policy: AccessPolicy
    /// Requests a second each user, and each client without a valid token, may make.
    public var rateLimits: RateLimits
    /// What joins a member of staff to a person, for the roles the policy holds to it
    /// (`CareRelationships`; `joinedup serve --relationships FILE`).
    public var relationships: CareRelationships

    public init(host: String = "127.0.0.1", port: Int = 8080, database: String = "joinedup.sqlite",
                readReplica: String? = nil, logLevel: Logger.Level = .info, maxBodyBytes: Int = 64 << 20,
                maxJSONDepth: Int = 64, keys: String = "joinedup-keys.json", policy: AccessPolicy = .standard,
                rateLimits: RateLimits = RateLimits(), relationships: CareRelationships = .standard) {
        self.host = host
        self.port = port
        self.database = database
        self.readReplica = readReplica
        self.logLevel = logLevel
        self.maxBodyBytes = maxBodyBytes
        self.maxJSONDepth = maxJSONDepth
        self.keys = keys
        self.policy = policy
        self.rateLimits = rateLimits
        self.relationships = relationships
    }
}
