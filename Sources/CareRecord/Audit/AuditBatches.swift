import NIOConcurrencyHelpers

/// PostgreSQL's group commit for audit entries that no write carries (reads, searches,
/// refusals): each caller waits until its entry is committed, so no answer leaves before its
/// record, but entries that arrive while a batch is being written go together in the next
/// one, one transaction for many, as the writer's one lock allows. (SQLite's go to a journal
/// instead, `AuditJournal`: its commits cost too much to make one per batch of reads.)
final class AuditBatches: Sendable {
    private struct State {
        var entries: [AuditEntry] = []
        var waiting: [CheckedContinuation<Void, any Error>] = []
        var writing = false
    }

    private let state = NIOLockedValueBox(State())

    /// Returns once `entry` is committed by `write` (or throws what the write threw).
    func record(_ entry: AuditEntry, write: @escaping @Sendable ([AuditEntry]) async throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let starts = state.withLockedValue { state in
                state.entries.append(entry)
                state.waiting.append(continuation)
                guard !state.writing else { return false }
                state.writing = true
                return true
            }
            if starts { Task { await self.drain(write) } }
        }
    }

    /// Writes batches until none waits.
    private func drain(_ write: @Sendable ([AuditEntry]) async throws -> Void) async {
        while true {
            let batch: (entries: [AuditEntry], waiting: [CheckedContinuation<Void, any Error>])? = state.withLockedValue { state in
                guard !state.entries.isEmpty else {
                    state.writing = false
                    return nil
                }
                defer {
                    state.entries.removeAll(keepingCapacity: true)
                    state.waiting.removeAll(keepingCapacity: true)
                }
                return (state.entries, state.waiting)
            }
            guard let batch else { return }
            do {
                try await write(batch.entries)
                for continuation in batch.waiting { continuation.resume() }
            } catch {
                for continuation in batch.waiting { continuation.resume(throwing: error) }
            }
        }
    }
}
