import App
import ArgumentParser
import Hummingbird
import Logging

/// `joinedup serve`: the FHIR server on the embedded store.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the FHIR R4 server.")

    @Option(help: "The SQLite file of the embedded store (created if missing).")
    var database = "joinedup.sqlite"

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port = 8080

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    @Option(help: "The largest request body accepted, in bytes.")
    var maxBodyBytes = 64 << 20

    @Option(help: "The deepest JSON nesting accepted in a request body.")
    var maxJSONDepth = 64

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard maxBodyBytes > 0 else { throw ValidationError("--max-body-bytes must be positive") }
        guard (8...1000).contains(maxJSONDepth) else { throw ValidationError("--max-json-depth must be between 8 and 1000") }
    }

    func run() async throws {
        let configuration = AppConfiguration(host: host, port: port, databasePath: database,
                                             logLevel: Logger.Level(rawValue: logLevel) ?? .info, maxBodyBytes: maxBodyBytes,
                                             maxJSONDepth: maxJSONDepth)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = configuration.logLevel
            return handler
        }
        let app = try await buildApplication(configuration)
        try await app.runService()
    }
}
