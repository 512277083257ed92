import Access
import CareRecord
import Hummingbird
import Logging
import Storage

/// Builds the whole server: opens (and migrates) the store, then wires the router. The
/// server stops cleanly on SIGINT and SIGTERM, finishing requests in flight.
/// `onListening` is told the port once the server accepts connections: the only moment the
/// real port of `--port 0` is known, and the moment a URL printed for a person works.
public func buildApplication(_ configuration: AppConfiguration,
                             onListening: @escaping @Sendable (_ port: Int) async -> Void = { _ in })
    async throws -> some ApplicationProtocol {
    let logger = {
        var logger = Logger(label: "joinedup")
        logger.logLevel = configuration.logLevel
        return logger
    }()
    let keys = try KeyRing(path: configuration.keys) { error in
        logger.error("the key file could not be read again; the keys read before are kept", metadata: ["error": "\(error)"])
    }
    let location = try StoreLocation(configuration.database)
    let record = try await CareRecord.open(location, readReplica: try configuration.readReplica.map(PostgresAddress.init))
    let router = buildRouter(record: record, configuration: configuration, keys: { keys.current() })
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "JoinedUp"),
        onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
    app.beforeServerStarts {
        var metadata: Logger.Metadata = ["database": "\(location)"]
        if let replica = configuration.readReplica { metadata["read-replica"] = "\((try? PostgresAddress(replica))?.description ?? "")" }
        metadata["keys"] = "\(configuration.keys)"
        metadata["access-policy"] = "\(configuration.policy.version)"
        logger.info("store ready", metadata: metadata)
    }
    return app
}

/// The routes, separate from the application so tests can drive them directly. `keys` gives
/// the keys tokens are checked with, as they are at the moment of asking.
public func buildRouter(record: CareRecord, configuration: AppConfiguration,
                        keys: @escaping @Sendable () -> KeySet) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: SecurityHeadersMiddleware())
    // Inside the headers, outside the OperationOutcome middleware: it records the status the
    // client gets, after every error has become one.
    router.add(middleware: AuditMiddleware(record: record))
    // At router level, so that URLs no route matches also answer with an OperationOutcome.
    router.add(middleware: FHIROutcomeMiddleware(pathPrefix: "/fhir"))
    // Before every route: no route runs for a request without a valid token but the open ones.
    router.add(middleware: AuthenticationMiddleware(keys: keys, policy: configuration.policy, limits: configuration.rateLimits,
                                                      relationships: configuration.relationships))
    router.get("/health") { _, _ in "ok" }
    FHIRController(record: record, limits: RequestLimits(configuration)).register(on: router.group("fhir"))
    return router
}
