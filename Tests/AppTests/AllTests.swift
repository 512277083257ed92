import Testing

/// The root of the HTTP-level tests: each file adds a nested suite. Every test starts the real
/// server on a loopback port over its own fresh SQLite file.
@Suite(.timeLimit(.minutes(1)))
struct FHIRServerTests {}
