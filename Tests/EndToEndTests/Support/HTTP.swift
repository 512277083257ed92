import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A minimal HTTP client over URLSession for talking to a child server on loopback.
enum HTTP {
    /// `token` goes as `Authorization: Bearer ...`; every route but metadata and health needs one.
    static func send(_ method: String, _ url: String, body: Data? = nil, headers: [String: String] = [:], token: String? = nil,
                     timeout: TimeInterval = 120) async throws -> (status: Int, body: Data) {
        var request = URLRequest(url: URL(string: url)!, timeoutInterval: timeout)
        request.httpMethod = method
        request.httpBody = body
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if body != nil, headers["Content-Type"] == nil { request.setValue("application/fhir+json", forHTTPHeaderField: "Content-Type") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }
}
