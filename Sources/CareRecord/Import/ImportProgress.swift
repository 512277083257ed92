/// Where an import has got to, for a progress display.
public struct ImportProgress: Sendable {
    /// Bytes of the current file read so far (in the current pass, for a Bundle file).
    public let bytesRead: Int
    /// Resources stored so far from this file, when known (NDJSON commits as it goes; a
    /// Bundle file commits once, at the end).
    public let stored: Int?
    /// For a Bundle file, which pass over the file this is (1-based): it is read once to
    /// validate and plan, then again for each kind of write.
    public let pass: Int?
}
