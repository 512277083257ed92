import FHIR
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

extension FHIRClient {
    /// Runs `body` once per new connection to the same server, all at the same time, so the
    /// requests really are concurrent (one connection serves its requests one by one).
    func onSeparateConnections<T: Sendable>(_ count: Int,
                                            _ body: @escaping @Sendable (Int, Connection) async throws -> T) async throws -> [T] {
        let port = try #require(client.port)
        return try await withThrowingTaskGroup(of: (Int, T).self) { group in
            for index in 0..<count {
                group.addTask {
                    let client = TestClient(host: "localhost", port: port)
                    client.connect()
                    do {
                        let value = try await body(index, Connection(client: client, token: token))
                        try await client.shutdown()
                        return (index, value)
                    } catch {
                        try? await client.shutdown()
                        throw error
                    }
                }
            }
            var results: [(Int, T)] = []
            for try await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// One extra keep-alive connection to the live test server.
    struct Connection: Sendable {
        let client: TestClient
        /// The bearer token of the `FHIRClient` it was opened from.
        let token: String?

        func send(_ method: HTTPRequest.Method, _ uri: String, _ body: JSON? = nil,
                  headers: HTTPFields = [:]) async throws -> (status: HTTPResponse.Status, body: JSON?) {
            var headers = headers
            headers[.connection] = "keep-alive"
            if let token, headers[.authorization] == nil { headers[.authorization] = "Bearer \(token)" }
            if body != nil { headers[.contentType] = FHIRClient.fhirJSON }
            let request = TestClient.Request(uri, method: method, authority: "localhost", headers: headers,
                                             body: body.map { ByteBuffer(bytes: JSONSerializer.bytes($0)) })
            let response = try await client.execute(request)
            let bytes = response.body.map { Array($0.readableBytesView) } ?? []
            return (response.head.status, bytes.isEmpty ? nil : try JSONParser().parse(bytes))
        }
    }
}
