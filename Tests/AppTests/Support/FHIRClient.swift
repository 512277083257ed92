import Access
import FHIR
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting

/// A small FHIR client over the live test client: one helper per verb, JSON bodies sent as
/// `application/fhir+json` unless a test says otherwise. Every request carries a bearer
/// token: by default a system's, allowed everything (`system/*.*`); `as(_:)` sends another
/// or none, for the access tests.
struct FHIRClient: Sendable {
    static let fhirJSON = "application/fhir+json"
    static let jsonPatch = "application/json-patch+json"

    let client: any TestClientProtocol
    /// The server's keys, to sign tokens it accepts.
    let keys: KeySet
    /// The `Authorization` header's token; nil sends none.
    var token: String?

    init(client: any TestClientProtocol, keys: KeySet) {
        self.client = client
        self.keys = keys
        token = try? TokenIssuer.issue(user: "test-system", role: "system", organisation: nil, scope: "system/*.*",
                                       lasting: 3600, with: keys)
    }

    /// The same client sending `token` (nil: no Authorization header).
    func `as`(_ token: String?) -> FHIRClient {
        var client = self
        client.token = token
        return client
    }

    /// A token the server accepts, for `user`.
    func token(role: String = "gp", organisation: String? = "A81001", scope: String, patient: String? = nil,
               user: String = "test-user", expiresIn seconds: TimeInterval = 3600) throws -> String {
        try TokenIssuer.issue(user: user, role: role, organisation: organisation, scope: scope, patient: patient,
                              lasting: seconds, with: keys)
    }

    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await send(.get, uri, headers: headers)
    }

    func post(_ uri: String, _ body: JSON, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await send(.post, uri, headers: headers, body: JSONSerializer.bytes(body), contentType: Self.fhirJSON)
    }

    func put(_ uri: String, _ body: JSON, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await send(.put, uri, headers: headers, body: JSONSerializer.bytes(body), contentType: Self.fhirJSON)
    }

    func patch(_ uri: String, _ operations: JSON, headers: HTTPFields = [:],
               contentType: String = FHIRClient.jsonPatch) async throws -> TestResponse {
        try await send(.patch, uri, headers: headers, body: JSONSerializer.bytes(operations), contentType: contentType)
    }

    func delete(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await send(.delete, uri, headers: headers)
    }

    /// Any request, with raw body bytes; `contentType` nil sends no Content-Type at all.
    func send(_ method: HTTPRequest.Method, _ uri: String, headers: HTTPFields = [:], body: [UInt8]? = nil,
              contentType: String? = nil) async throws -> TestResponse {
        var headers = headers
        if let contentType, headers[.contentType] == nil { headers[.contentType] = contentType }
        if let token, headers[.authorization] == nil { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: uri, method: method, headers: headers,
                                        body: body.map { ByteBuffer(bytes: $0) })
    }

    /// Creates `resource` and returns the id the server gave it.
    func create(_ resource: JSON) async throws -> String {
        let type = resource["resourceType"]?.stringValue ?? "?"
        let response = try await post("/fhir/\(type)", resource)
        guard response.status == .created, let id = try response.json()["id"]?.stringValue else {
            throw TestFailure("create of \(type) answered \(response.status): \(response.text)")
        }
        return id
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension HTTPFields {
    init(_ pairs: [(String, String)]) {
        self.init()
        for (name, value) in pairs { self[HTTPField.Name(name)!] = value }
    }
}

extension HTTPField.Name {
    static let ifNoneExist = HTTPField.Name("If-None-Exist")!
    static let prefer = HTTPField.Name("Prefer")!
}

extension TestResponse {
    var bytes: [UInt8] { Array(body.readableBytesView) }
    var text: String { String(decoding: bytes, as: UTF8.self) }

    func json() throws -> JSON {
        try JSONParser().parse(bytes)
    }
}
