import Testing

/// The root of the HTTP-level tests: each file adds a nested suite. Every test starts the real
/// server on a loopback port over its own fresh SQLite file. The limit catches a hang, not a
/// slow machine: with the whole suite in parallel on two cores, tests that take seconds alone
/// have taken over 70 s (the concurrency and validation tests did on 2026-11-24).
@Suite(.timeLimit(.minutes(2)))
struct FHIRServerTests {}
