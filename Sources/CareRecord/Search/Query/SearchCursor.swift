import FHIR
import Foundation
import Storage

/// Where a page ended: the sort values and `rid` of its last match. The next page starts
/// strictly after it, so a page never repeats or skips a match because of writes made
/// between pages (new resources get higher `rid`s; an update keeps its `rid`).
///
/// Sent to clients as opaque base64url text in the next link's `_cursor`; a cursor that is
/// not well formed is a 400, and it carries no SQL, only values that are bound.
struct SearchCursor: Sendable, Hashable {
    let values: [SQLValue]
    let rid: Int64

    init(values: [SQLValue], rid: Int64) {
        self.values = values
        self.rid = rid
    }

    init(text: String) throws {
        guard text.count <= 4_096, let bytes = Self.base64URLDecode(text),
              let json = try? JSONParser().parse(bytes), case .array(let items) = json,
              let last = items.last, case .number(let ridText) = last, let rid = Int64(ridText) else {
            throw SearchQueryParser.error("_cursor", "this is not a paging position this server gave")
        }
        var values: [SQLValue] = []
        for item in items.dropLast() {
            switch item {
            case .string(let text): values.append(text.sqlValue)
            case .number(let number):
                let text = number
                if let integer = Int64(text) { values.append(integer.sqlValue) }
                else if let real = Double(text) { values.append(real.sqlValue) }
                else { throw SearchQueryParser.error("_cursor", "this is not a paging position this server gave") }
            default:
                throw SearchQueryParser.error("_cursor", "this is not a paging position this server gave")
            }
        }
        self.values = values
        self.rid = rid
    }

    var text: String {
        var items: [JSON] = values.map { value in
            switch value {
            case .integer(let integer): .number(String(integer))
            case .real(let real): .number("\(real)")
            case .text(let text): .string(text)
            default: .string("")
            }
        }
        items.append(.number(String(rid)))
        return Self.base64URLEncode(JSONSerializer.bytes(.array(items)))
    }

    static func base64URLEncode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func base64URLDecode(_ text: String) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map { [UInt8]($0) }
    }
}
