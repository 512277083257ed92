import Logging
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO

/// Connections lent to async callers for one statement at a time, without a thread of their
/// own: the caller's task sends the statement and is resumed by the connection's event loop.
///
/// Why beside `PostgresWorkers`: a worker thread costs a read two more thread wake-ups (the
/// task wakes the worker, the event loop wakes the worker back), and under 64 clients reading
/// by id the server spent more time switching threads than doing anything else (perf: about a
/// quarter in the scheduler). A single statement needs no synchronous code around it, so it
/// can skip the worker.
///
/// At most `size` connections, opened when needed; a caller finding none free waits its turn.
final class PostgresSessionPool: @unchecked Sendable {
    private let size: Int
    private let configuration: PostgresConnection.Configuration
    private let logger: Logger
    private let lock = NIOLock()
    private var idle: [PostgresSession] = []
    private var opened = 0
    private var closed = false
    /// Callers waiting for a connection; resumed with one, or with nil to open their own.
    private var waiting: [CheckedContinuation<PostgresSession?, any Error>] = []

    init(size: Int, configuration: PostgresConnection.Configuration, logger: Logger) {
        self.size = max(1, size)
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs `body` with a connection that no one else uses meanwhile.
    func withSession<T: Sendable>(_ body: (PostgresSession) async throws -> T) async throws -> T {
        let session = try await checkOut()
        do {
            let result = try await body(session)
            checkIn(session)
            return result
        } catch {
            checkIn(session)
            throw error
        }
    }

    deinit {
        close()
    }

    /// Closes the idle connections now and the others as they come back.
    func close() {
        let (sessions, waiters) = lock.withLock { () -> ([PostgresSession], [CheckedContinuation<PostgresSession?, any Error>]) in
            closed = true
            defer { idle = []; waiting = [] }
            return (idle, waiting)
        }
        for session in sessions { session.closeConnection() }
        for waiter in waiters { waiter.resume(throwing: StorageError(.cannotOpen, detail: "the database was closed")) }
    }

    private enum Grant { case session(PostgresSession), open, wait }

    private func checkOut() async throws -> PostgresSession {
        let grant: Grant = try lock.withLock {
            if closed { throw StorageError(.cannotOpen, detail: "the database was closed") }
            if let session = idle.popLast() { return .session(session) }
            if opened < size {
                opened += 1
                return .open
            }
            return .wait
        }
        switch grant {
        case .session(let session):
            return session
        case .open:
            return try await connect()
        case .wait:
            let handed = try await withCheckedThrowingContinuation { continuation in
                let refused: Bool = lock.withLock {
                    if closed { return true }
                    waiting.append(continuation)
                    return false
                }
                if refused { continuation.resume(throwing: StorageError(.cannotOpen, detail: "the database was closed")) }
            }
            if let handed { return handed }
            return try await connect()
        }
    }

    /// Hands `session` to the first waiting caller, or keeps it; a broken one is dropped and
    /// its place given to a waiting caller to open anew.
    private func checkIn(_ session: PostgresSession) {
        let broken = session.isClosed
        let (waiter, closeIt): (CheckedContinuation<PostgresSession?, any Error>?, Bool) = lock.withLock {
            if closed {
                return (nil, true)
            }
            if broken {
                if waiting.isEmpty {
                    opened -= 1
                    return (nil, false)
                }
                return (waiting.removeFirst(), false)
            }
            if waiting.isEmpty {
                idle.append(session)
                return (nil, false)
            }
            return (waiting.removeFirst(), false)
        }
        if closeIt { session.closeConnection() }
        waiter?.resume(returning: broken ? nil : session)
    }

    private func connect() async throws -> PostgresSession {
        do {
            return try await PostgresSession.opening(configuration, logger: logger).get()
        } catch {
            // The place this caller held goes to the next waiting one, to try again.
            let waiter = lock.withLock { () -> CheckedContinuation<PostgresSession?, any Error>? in
                if waiting.isEmpty {
                    opened -= 1
                    return nil
                }
                return waiting.removeFirst()
            }
            waiter?.resume(returning: nil)
            throw error
        }
    }
}
