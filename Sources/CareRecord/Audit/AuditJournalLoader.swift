import NIOConcurrencyHelpers

/// Moves a journal's entries (`AuditJournal`) into the audit log, in one transaction a second
/// after the first entry of a batch is written (so a busy server commits one large batch a
/// second, not one per read; 250 ms measured the same), one load at a time, and on demand before the log is read
/// (`flush`), so a report holds every request answered before it. A load that fails keeps
/// its segment, locked and on disk, and is tried again first next time.
actor AuditJournalLoader {
    static let delay = Duration.milliseconds(1000)

    nonisolated let journal: AuditJournal
    private let write: @Sendable ([AuditEntry]) async throws -> Void
    /// Whether a load is due that will take what is written now.
    private nonisolated let armed = NIOLockedValueBox(false)
    private var failed: [(entries: [AuditEntry], path: String, descriptor: Int32)] = []
    private var running: Task<Void, any Error>?

    init(journal: AuditJournal, write: @escaping @Sendable ([AuditEntry]) async throws -> Void) {
        self.journal = journal
        self.write = write
    }

    /// Writes `entries` to the journal and makes sure a load will take them; returns once the
    /// kernel holds them. On the request's own thread: no hop, no waiting for others.
    nonisolated func append(_ entries: [AuditEntry]) throws {
        try journal.append(entries)
        arm()
    }

    private nonisolated func arm() {
        let arming = armed.withLockedValue { armed in
            defer { armed = true }
            return !armed
        }
        guard arming else { return }
        Task {
            try? await Task.sleep(for: Self.delay)
            await self.due()
        }
    }

    private func due() {
        armed.withLockedValue { $0 = false }
        start()
    }

    /// Loads every entry waiting, and returns once they are committed.
    func flush() async throws {
        while true {
            if let running {
                _ = try? await running.value
                continue
            }
            if journal.waiting == 0 && failed.isEmpty { return }
            start()
            try await running?.value
        }
    }

    private func start() {
        guard running == nil else { return }
        running = Task {
            defer {
                running = nil
                if journal.waiting > 0 || !failed.isEmpty { arm() }
            }
            try await load()
        }
    }

    private func load() async throws {
        var segments = failed
        failed = []
        if let taken = try journal.takeSegment() { segments.append(taken) }
        for (index, segment) in segments.enumerated() {
            do {
                try await write(segment.entries)
                AuditJournal.discard(path: segment.path, descriptor: segment.descriptor)
            } catch {
                failed += segments[index...]
                throw error
            }
        }
    }
}
