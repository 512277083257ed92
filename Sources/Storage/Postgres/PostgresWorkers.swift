import Foundation
import Logging
import NIOCore
import PostgresNIO

/// Threads of this database's own, each with one connection, that run statements for
/// callers: at most `size` of them, started when work arrives and none is free, each
/// connecting when it first needs to (and again if its connection was closed).
///
/// Why threads and not dispatch queues: a statement waits for the server (`PostgresSession`
/// blocks its thread), and dispatch runs a concurrent queue's work on a pool about as wide as
/// the machine's cores, so two slow reads held every other read of the process behind them
/// (the HTTP suites on PostgreSQL timed out waiting). A thread per connection waits on its own.
final class PostgresWorkers: @unchecked Sendable {
    typealias Job = (_ session: () throws -> PostgresSession) -> Void

    private let size: Int
    private let label: String
    private let configuration: PostgresConnection.Configuration
    private let logger: Logger
    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var threads = 0
    private var idle = 0
    private var closed = false
    private var nextID = 0

    init(size: Int, label: String, configuration: PostgresConnection.Configuration, logger: Logger) {
        self.size = max(1, size)
        self.label = label
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs `body` on a worker's connection and returns what it returns.
    func run<T: Sendable>(_ body: @escaping @Sendable (PostgresSession) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            submit { session in continuation.resume(with: Result { try body(try session()) }) }
        }
    }

    /// Starts `body` on a worker's connection and returns at once; `completion` gets what it
    /// returned or threw, on the worker's thread.
    func start<T>(_ body: @escaping @Sendable (PostgresSession) throws -> T,
                  completion: @escaping @Sendable (Result<T, any Error>) -> Void) {
        submit { session in completion(Result { try body(try session()) }) }
    }

    /// Lets every worker finish the work it was given, then close its connection and end.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    private func submit(_ job: @escaping Job) {
        condition.lock()
        if closed {
            condition.unlock()
            job { throw StorageError(.cannotOpen, detail: "the database was closed") }
            return
        }
        jobs.append(job)
        if idle == 0 && threads < size {
            threads += 1
            nextID += 1
            let thread = Thread { [self] in work() }
            thread.name = "\(label)-\(nextID)"
            thread.start()
        }
        condition.signal()
        condition.unlock()
    }

    private func nextJob() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while jobs.isEmpty && !closed {
            idle += 1
            condition.wait()
            idle -= 1
        }
        if jobs.isEmpty { return nil }
        return jobs.removeFirst()
    }

    private func work() {
        var session: PostgresSession?
        while let job = nextJob() {
            job {
                if let session, !session.isClosed { return session }
                let opened = try connect()
                session = opened
                return opened
            }
        }
        if let session, !session.isClosed { try? session.connection.close().wait() }
        condition.lock()
        threads -= 1
        condition.unlock()
    }

    private func connect() throws -> PostgresSession {
        try PostgresSession.opening(configuration, logger: logger).wait()
    }
}
