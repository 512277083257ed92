import Foundation

/// A batch being written on the writer's queue (`CareRecord.beginImport`): await `results()`.
/// Completed by the queue, awaited by the loader, in either order.
public final class ImportWrite: @unchecked Sendable {
    private enum State {
        case running([CheckedContinuation<[Result<WriteResult, RecordError>], any Error>])
        case finished(Result<[Result<WriteResult, RecordError>], any Error>)
    }

    // Guarded by `lock`; @unchecked because NSLock is the guard, not the compiler.
    private let lock = NSLock()
    private var state = State.running([])
    private var busy = Duration.zero

    init() {}

    /// Each resource's result, in order; throws when the write itself failed (storage).
    public func results() async throws -> [Result<WriteResult, RecordError>] {
        try await withCheckedThrowingContinuation { continuation in
            lock.lock()
            switch state {
            case .running(var waiting):
                waiting.append(continuation)
                state = .running(waiting)
                lock.unlock()
            case .finished(let result):
                lock.unlock()
                continuation.resume(with: result)
            }
        }
    }

    /// How long the writer spent on the batch (zero until it is done).
    public var writerTime: Duration {
        lock.lock()
        defer { lock.unlock() }
        return busy
    }

    func finish(_ result: Result<[Result<WriteResult, RecordError>], any Error>, writerTime: Duration) {
        lock.lock()
        guard case .running(let waiting) = state else {
            lock.unlock()
            return
        }
        state = .finished(result)
        busy = writerTime
        lock.unlock()
        for continuation in waiting { continuation.resume(with: result) }
    }
}
