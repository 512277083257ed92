import Dispatch
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// At most `size` connections, made when first needed and reused; a caller waits (on its own
/// thread) while all are in use. A connection that the server or the network closed is
/// dropped, and the next caller gets a new one.
final class PostgresSessionPool: @unchecked Sendable {
    private let configuration: PostgresConnection.Configuration
    private let logger: Logger
    private let available: DispatchSemaphore
    private let lock = NSLock()
    private var idle: [PostgresSession] = []
    private var everyOpen: [PostgresSession] = []
    private var nextID = 1
    private var closed = false

    init(configuration: PostgresConnection.Configuration, size: Int, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        available = DispatchSemaphore(value: size)
    }

    /// Runs `body` with a connection of its own. Call only from a thread that may block.
    func with<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        available.wait()
        defer { available.signal() }
        let session = try lease()
        defer { giveBack(session) }
        return try body(session)
    }

    func close() {
        let sessions = lock.withLock {
            closed = true
            idle = []
            return everyOpen
        }
        Self.close(sessions)
    }

    deinit {
        Self.close(everyOpen)
    }

    /// Not waited for: closing may be asked from any thread, an event loop's included. Each
    /// connection is kept until its close completes (PostgresNIO requires a connection to be
    /// closed before it is released).
    private static func close(_ sessions: [PostgresSession]) {
        for session in sessions where !session.isClosed {
            let connection = session.connection
            connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
        }
    }

    private func lease() throws -> PostgresSession {
        let (reusable, id) = try lock.withLock { () throws -> (PostgresSession?, Int) in
            guard !closed else { throw StorageError(.cannotOpen, detail: "the database was closed") }
            while let session = idle.popLast() {
                if !session.isClosed { return (session, 0) }
            }
            nextID += 1
            return (nil, nextID)
        }
        if let reusable { return reusable }
        do {
            let connection = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(),
                                                            configuration: configuration, id: id, logger: logger).wait()
            let session = PostgresSession(connection: connection, logger: logger)
            lock.withLock {
                everyOpen.removeAll { $0.isClosed }
                everyOpen.append(session)
            }
            return session
        } catch let error as PSQLError {
            throw StorageError(.cannotOpen, detail: "\(error.serverInfo?[.message] ?? String(reflecting: error))")
        } catch {
            throw StorageError(.cannotOpen, detail: "\(error)")
        }
    }

    private func giveBack(_ session: PostgresSession) {
        lock.withLock {
            if !session.isClosed && !closed { idle.append(session) }
        }
    }
}
