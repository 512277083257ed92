import FHIR
import HTTPTypes
import Hummingbird
import HummingbirdTesting

/// A small FHIR client over the live test client: one helper per verb, JSON bodies sent as
/// `application/fhir+json` unless a test says otherwise.
struct FHIRClient: Sendable {
    static let fhirJSON = "application/fhir+json"
    static let jsonPatch = "application/json-patch+json"

    let client: any TestClientProtocol

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
