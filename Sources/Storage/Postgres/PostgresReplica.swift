import Logging
import PostgresNIO
import Synchronization

/// A streaming replica that takes this process's reads (`--read-replica`), while writes and
/// the reads inside them go to the primary.
///
/// A replica replays the primary's WAL a little behind it, so a client that has just written
/// could read from it and not find its write. Every write this process commits notes the
/// primary's WAL position after it (`noteWrite`); a read goes to the replica only once the
/// replica has replayed that far (`isCurrent`), and to the primary until then. So a process
/// always reads its own writes; another process's may show a moment later, as from any
/// replica.
final class PostgresReplica: Sendable {
    let address: PostgresAddress
    let readers: PostgresWorkers
    let statements: PostgresSessionPool
    /// The WAL positions: the last this process wrote up to, and the last the replica was
    /// seen to have replayed.
    private let positions = Mutex((written: UInt64(0), replayed: UInt64(0)))
    /// Until when the replica is left out after it failed to answer, so that reads do not each
    /// wait for it to fail first.
    private let outUntil = Mutex(ContinuousClock.Instant.now)

    /// How long a replica that failed to answer is left out.
    static let restAfterFailure = Duration.seconds(5)

    /// Leaves the replica out of reads for a while (`restAfterFailure`).
    func failed() {
        outUntil.withLock { $0 = .now + Self.restAfterFailure }
    }

    init(address: PostgresAddress, maximumReaders: Int, logger: Logger) throws {
        self.address = address
        let configuration = try address.configuration()
        readers = PostgresWorkers(size: maximumReaders, label: "joinedup.postgres.replica", configuration: configuration,
                                  logger: logger)
        statements = PostgresSessionPool(size: maximumReaders, configuration: configuration, logger: logger)
    }

    /// Checks that the address is a replica that can be read now: a primary given by mistake
    /// would take reads that it answers correctly but loads for nothing, so it is refused.
    func check() async throws {
        let rows = try await statements.withSession { try await $0.fetchAllAsync("SELECT pg_is_in_recovery()", []) }
        guard rows.first?[0].int64 == 1 else {
            throw StorageError(.cannotOpen, detail: "\(address) is not a read replica (it is not in recovery)")
        }
    }

    /// Remembers how far the primary's WAL reached after a write of this process committed;
    /// nil when that could not be read, which keeps reads on the primary until a later write's
    /// position is known (it is past this write's).
    func noteWrite(_ position: UInt64?) {
        positions.withLock { state in
            guard let position else {
                state.written = .max
                return
            }
            state.written = state.written == .max ? position : max(state.written, position)
        }
    }

    /// Whether the replica holds every write this process has committed: known without asking
    /// while no write has come since it was last seen to; otherwise asked (one statement). A
    /// replica that cannot answer, or failed a read a moment ago, is not current.
    func isCurrent() async -> Bool {
        guard outUntil.withLock({ $0 }) <= .now else { return false }
        let known = positions.withLock { $0 }
        if known.replayed >= known.written { return true }
        let replayed = try? await statements.withSession {
            try await $0.fetchAllAsync("SELECT CAST(pg_last_wal_replay_lsn() AS text)", [])
        }.first?[0].string.flatMap(Self.position)
        guard let replayed else { return false }
        return positions.withLock { state in
            state.replayed = max(state.replayed, replayed)
            return state.replayed >= state.written
        }
    }

    /// A WAL position (`16/B374D848`) as a number.
    static func position(_ text: String) -> UInt64? {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let high = UInt64(parts[0], radix: 16), let low = UInt64(parts[1], radix: 16) else { return nil }
        return high << 32 | low
    }

    /// The primary's WAL position now: after a commit, at or past its commit record.
    static let currentPositionSQL = "SELECT CAST(pg_current_wal_insert_lsn() AS text)"

    func close() {
        readers.close()
        statements.close()
    }
}
