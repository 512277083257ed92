extension RecordError.Kind {
    /// The HTTP status FHIR gives this kind of refusal; bundles write it as text too.
    public var status: (code: Int, reason: String) {
        switch self {
        case .invalid: (400, "Bad Request")
        case .forbidden: (403, "Forbidden")
        case .notFound: (404, "Not Found")
        case .notSupported: (400, "Bad Request")
        case .conflict: (409, "Conflict")
        case .gone: (410, "Gone")
        case .versionConflict, .multipleMatches: (412, "Precondition Failed")
        case .unprocessable: (422, "Unprocessable Entity")
        }
    }
}
