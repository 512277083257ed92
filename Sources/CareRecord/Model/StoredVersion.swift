import FHIR

/// One version of a resource as stored: the body bytes already carry `meta.versionId` and
/// `meta.lastUpdated`, so a read sends them without parsing.
public struct StoredVersion: Sendable, Hashable {
    public let key: ResourceKey
    public let version: Int
    public let lastUpdated: FHIRInstant
    public let method: WriteMethod
    /// The change-log position of this version.
    public let sequence: Int64
    /// Whether this version brought the resource into being: its first version, or the first
    /// after a deletion. History answers 201 for these.
    public let created: Bool
    /// The resource JSON; nil for a deletion.
    public let body: [UInt8]?

    public init(key: ResourceKey, version: Int, lastUpdated: FHIRInstant, method: WriteMethod, sequence: Int64,
                created: Bool, body: [UInt8]?) {
        self.key = key
        self.version = version
        self.lastUpdated = lastUpdated
        self.method = method
        self.sequence = sequence
        self.created = created
        self.body = body
    }

    public var isDeletion: Bool { method == .delete }

    /// The weak ETag FHIR uses for versions: `W/"3"`.
    public var etag: String { "W/\"\(version)\"" }

    /// `Type/id/_history/n`, the Location of this version.
    public var location: String { "\(key.type)/\(key.id)/_history/\(version)" }
}

/// The interaction that wrote a version (a PUT that creates is `update`); the change log
/// records it for downstream readers.
public enum WriteMethod: String, Sendable, Hashable {
    case create, update, patch, delete

    /// The HTTP verb a history entry reports for this version.
    public var httpVerb: String {
        switch self {
        case .create: "POST"
        case .update: "PUT"
        case .patch: "PATCH"
        case .delete: "DELETE"
        }
    }
}
