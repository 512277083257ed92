import FHIR
import Hummingbird

/// JSON is the only format this server speaks. It says so clearly: a request for XML (by
/// `Accept` or `_format`) gets 406, a body in anything but JSON gets 415.
enum ContentNegotiation {
    private static let jsonTypes: Set<String> = ["application/fhir+json", "application/json", "application/json+fhir"]
    private static let formatAliases: Set<String> = ["json", "application/fhir+json", "application/json"]

    /// Checks `_format` (which wins) or else `Accept`.
    static func checkAcceptable(_ request: Request) throws(FHIRError) {
        if let format = request.uri.queryParameters.get("_format") {
            guard formatAliases.contains(format.lowercased()) else {
                throw FHIRError(.notAcceptable, .notSupported, "this server returns JSON only; _format must be json")
            }
            return
        }
        guard let accept = request.headers[.accept], !accept.isEmpty else { return }
        // A range with q=0 means "not this" (RFC 9110 12.4.2), so it does not count.
        let ranges = accept.split(separator: ",").filter { !refused($0) }.map { mediaType(of: $0) }
        let acceptable = ranges.contains { range in
            jsonTypes.contains(range) || range == "*/*" || range == "application/*"
        }
        if !acceptable {
            throw FHIRError(.notAcceptable, .notSupported, "this server returns application/fhir+json only")
        }
    }

    /// Checks that a body is declared as JSON (or JSON Patch for PATCH) in UTF-8.
    static func checkBody(_ request: Request, patch: Bool = false) throws(FHIRError) {
        guard let declared = request.headers[.contentType] else {
            throw FHIRError(.unsupportedMediaType, .notSupported, "a Content-Type is required: application/fhir+json")
        }
        let type = mediaType(of: Substring(declared))
        let accepted = patch ? ["application/json-patch+json"] : jsonTypes
        guard accepted.contains(type) else {
            throw FHIRError(.unsupportedMediaType, .notSupported,
                            patch ? "PATCH takes application/json-patch+json" : "this server accepts application/fhir+json only")
        }
        let lowered = declared.lowercased()
        if let range = lowered.range(of: "charset=") {
            let charset = lowered[range.upperBound...].prefix { $0 != ";" }.trimmingCharacters(in: .whitespaces)
            guard charset == "utf-8" || charset == "\"utf-8\"" else {
                throw FHIRError(.unsupportedMediaType, .notSupported, "bodies must be UTF-8")
            }
        }
    }

    private static func refused(_ range: Substring) -> Bool {
        range.split(separator: ";").dropFirst().contains { parameter in
            let parts = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            return parts.count == 2 && parts[0].lowercased() == "q" && (Double(parts[1]) ?? 1) == 0
        }
    }

    private static func mediaType(of text: Substring) -> String {
        String(text.prefix { $0 != ";" }).trimmingCharacters(in: .whitespaces).lowercased()
    }
}

import Foundation
