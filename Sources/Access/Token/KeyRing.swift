import Foundation
import Synchronization

/// The key file as the server sees it while it runs: read again when it changes (looked at
/// no more than once a second), so a key rotated or retired with `joinedup keys` takes
/// effect without a restart. A file that becomes invalid is reported and the keys read
/// before it are kept (`joinedup keys` replaces the file whole, so only a hand edit gets
/// there). A file that is gone trusts no key until it is back: removing it is how to stop
/// every token at once, and no token should outlive the keys it was checked with.
public final class KeyRing: Sendable {
    public let path: String
    private let state: Mutex<State>
    private let onReloadFailure: @Sendable (Error) -> Void

    private struct State {
        var keys: KeySet
        var stamp: FileStamp?
        var lastLooked: Date
    }

    public init(path: String, onReloadFailure: @escaping @Sendable (Error) -> Void = { _ in }) throws {
        self.path = path
        self.onReloadFailure = onReloadFailure
        let stamp = FileStamp(path)
        state = Mutex(State(keys: try KeySet.load(from: path), stamp: stamp, lastLooked: Date()))
    }

    /// The keys now, read again first if the file changed since.
    public func current(now: Date = Date()) -> KeySet {
        let (keys, reload) = state.withLock { state -> (KeySet, Bool) in
            guard now.timeIntervalSince(state.lastLooked) >= 1 else { return (state.keys, false) }
            state.lastLooked = now
            return (state.keys, FileStamp(path) != state.stamp)
        }
        guard reload else { return keys }
        let stamp = FileStamp(path)
        if stamp == nil {
            let none = KeySet(issuer: keys.issuer, keys: [])
            state.withLock { $0.keys = none; $0.stamp = nil }
            onReloadFailure(KeySetError.unreadable("\(path) is gone: no token is accepted until it is back"))
            return none
        }
        do {
            let fresh = try KeySet.load(from: path)
            state.withLock { $0.keys = fresh; $0.stamp = stamp }
            return fresh
        } catch {
            state.withLock { $0.stamp = stamp }
            onReloadFailure(error)
            return keys
        }
    }
}

/// What says a file changed: its inode (`KeySet.save` renames a new file into place), size
/// and modification time to the nanosecond. A modification time alone, to the second, missed
/// two saves within one second.
private struct FileStamp: Equatable {
    let inode: UInt64
    let size: Int64
    let seconds: Int
    let nanoseconds: Int

    init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        #if canImport(Darwin)
        seconds = info.st_mtimespec.tv_sec
        nanoseconds = info.st_mtimespec.tv_nsec
        #else
        seconds = info.st_mtim.tv_sec
        nanoseconds = info.st_mtim.tv_nsec
        #endif
    }
}
