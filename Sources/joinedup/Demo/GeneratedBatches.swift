import Dispatch
import FHIR
import Foundation

/// The resources of a synchronous generator as batches for an async consumer, produced on a
/// thread of their own so the next batch is being generated while the last is stored
/// (generation was about a quarter of the CPU time of a demo load, profiled).
///
/// At most `capacity` batches wait at any time: the generator blocks, on its own thread and
/// never on one of Swift's, until the consumer takes one, so memory stays flat whatever the
/// size of the area. When the consumer stops early (an error, a cancelled task) the
/// generator is stopped too, with `CancellationError`, instead of waiting for ever.
struct GeneratedBatches: AsyncSequence, Sendable {
    typealias Element = [JSON]
    typealias Generate = @Sendable (_ emit: (JSON) throws -> Void) throws -> Void

    private let stream: AsyncThrowingStream<[JSON], any Error>
    private let free: DispatchSemaphore

    init(batchSize: Int, capacity: Int = 4, generate: @escaping Generate) {
        let (stream, continuation) = AsyncThrowingStream<[JSON], any Error>.makeStream()
        let free = DispatchSemaphore(value: capacity)
        let stopped = StopFlag()
        continuation.onTermination = { _ in
            stopped.stop()
            free.signal()
        }
        Thread {
            func hand(_ batch: [JSON]) throws {
                free.wait()
                if stopped.isStopped { throw CancellationError() }
                continuation.yield(batch)
            }
            do {
                var batch: [JSON] = []
                batch.reserveCapacity(batchSize)
                try generate { resource in
                    batch.append(resource)
                    if batch.count == batchSize {
                        try hand(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if !batch.isEmpty { try hand(batch) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }.start()
        self.stream = stream
        self.free = free
    }

    func makeAsyncIterator() -> Iterator {
        Iterator(inner: stream.makeAsyncIterator(), free: free)
    }

    struct Iterator: AsyncIteratorProtocol {
        var inner: AsyncThrowingStream<[JSON], any Error>.AsyncIterator
        let free: DispatchSemaphore

        mutating func next() async throws -> [JSON]? {
            let batch = try await inner.next()
            if batch != nil { free.signal() }
            return batch
        }
    }
}

/// Set once by the consumer's side, read by the generator's thread.
private final class StopFlag: @unchecked Sendable {
    // @unchecked: every access holds `lock`.
    private let lock = NSLock()
    private var stopped = false

    func stop() { lock.withLock { stopped = true } }
    var isStopped: Bool { lock.withLock { stopped } }
}
