import FHIR

/// What a transaction or batch did: the response Bundle, and per entry what was written or
/// why it failed (the importer's summary reads these).
public struct BundleResult: Sendable {
    public struct EntryResult: Sendable {
        public let index: Int
        public let method: String
        public let resourceType: String?
        public let result: WriteResult?
        public let error: RecordError?
        /// What a GET entry handed out: the resource read, or a search's resources.
        public var read: [AuditEntity] = []
    }

    public let response: JSON
    public let entries: [EntryResult]
    /// References to other entries (urn:uuid fullUrls) and conditional references rewritten.
    public let referencesResolved: Int
}
