import Foundation

/// The real `joinedup` executable, run as a child process, with its output captured to files
/// (pipes can fill and stall a chatty child).
final class JoinedUpProcess: @unchecked Sendable {
    // @unchecked: the Process is created and configured in init, then only read or signalled.
    let process = Process()
    let output: URL
    let errors: URL

    /// The executable built beside the test bundle by `swift build --build-tests`.
    static var executable: URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundle, bundle.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("joinedup")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug/joinedup")
    }

    init(_ arguments: [String], in folder: URL) throws {
        output = folder.appendingPathComponent("stdout-\(UUID().uuidString).txt")
        errors = folder.appendingPathComponent("stderr-\(UUID().uuidString).txt")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.executableURL = Self.executable
        process.arguments = arguments
        // Relative paths (the default store files) land in the test's folder, not the package's.
        process.currentDirectoryURL = folder
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
    }

    /// Runs to completion and returns the exit status and standard output.
    static func run(_ arguments: [String], in folder: URL) async throws -> (status: Int32, output: String, errors: String) {
        let child = try JoinedUpProcess(arguments, in: folder)
        let status = try await child.waitForExit(timeout: .seconds(120))
        return (status, child.standardOutput, child.standardError)
    }

    var standardOutput: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }
    var standardError: String { (try? String(contentsOf: errors, encoding: .utf8)) ?? "" }

    func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the child to exit, killing it if it outlives `timeout`.
    func waitForExit(timeout: Duration) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                signal(SIGKILL)
                throw TimeoutError(what: "joinedup \(process.arguments ?? [])")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    /// For `serve --port 0`: the port from the server's "listening on" log line.
    func waitForPort(timeout: Duration = .seconds(120)) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = standardError.split(separator: "\n").first(where: { $0.contains("listening on") }),
               let port = line.split(separator: ":").last.flatMap({ Int($0.prefix { $0.isNumber }) }) {
                return port
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TimeoutError(what: "the server to start; it said: \(standardError.suffix(2000))")
    }

    deinit {
        if process.isRunning { signal(SIGKILL) }
    }
}

/// A token allowed everything, from `joinedup token` with the key file `serve` made in
/// `folder` (its default, `joinedup-keys.json`, beside where it runs).
func systemToken(in folder: URL, keys: String = "joinedup-keys.json") async throws -> String {
    let run = try await JoinedUpProcess.run(["token", "--keys", keys, "--user", "e2e", "--role", "system",
                                             "--scope", "system/*.*"], in: folder)
    guard run.status == 0 else { throw TimeoutError(what: "a token; joinedup token said: \(run.errors)") }
    return run.output.trimmingCharacters(in: .whitespacesAndNewlines)
}

struct TimeoutError: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}

/// A temporary folder removed when the test ends.
final class TemporaryFolder: Sendable {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("joinedup-e2e-\(UUID().uuidString)")

    init() throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// The Synthea fixtures, hospital and practitioner files first.
func syntheaFiles() throws -> [String] {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/fixtures/synthea-r4")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
    let shared = names.filter { $0.hasPrefix("hospital") || $0.hasPrefix("practitioner") }
    return (shared + names.filter { !shared.contains($0) }).map { folder.appendingPathComponent($0).path }
}
