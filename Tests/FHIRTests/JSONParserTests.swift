import Testing

@testable import FHIR

/// The error parsing `bytes` gives, or nil (after recording an issue) when they parse.
private func parseError(
    _ bytes: [UInt8], limits: JSONLimits = .default, sourceLocation: SourceLocation = #_sourceLocation
) -> JSONParseError? {
    do throws(JSONParseError) {
        let value = try JSONParser(limits: limits).parse(bytes)
        Issue.record("expected a parse error, got \(JSONSerializer.string(value))", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

private func parseError(
    _ text: String, limits: JSONLimits = .default, sourceLocation: SourceLocation = #_sourceLocation
) -> JSONParseError? {
    parseError(Array(text.utf8), limits: limits, sourceLocation: sourceLocation)
}

private func bytes(_ parts: Any...) -> [UInt8] {
    var out: [UInt8] = []
    for part in parts {
        switch part {
        case let text as String: out.append(contentsOf: text.utf8)
        case let byte as Int: out.append(UInt8(byte))
        case let list as [Int]: out.append(contentsOf: list.map { UInt8($0) })
        default: fatalError("bytes(): unsupported part")
        }
    }
    return out
}

@Suite("JSON parser and serializer: round trips")
struct JSONParserRoundTripTests {
    static let nested = #"""
        {"resourceType":"Observation","zeta":1,"alpha":{"valueQuantity":{"value":1.50,"unit":"mg"},"list":[0,-0,-0.0,1e10,1E-5,2.50e+3,12345678901234567890.123,[],{},[[null]],{"b":null,"a":true,"c":false}],"text":"é 名 😀 \n\t\"\\ \u0001"},"empty":"","last":false}
        """#

    @Test func compactDocumentRoundTripsExactly() throws {
        let value = try JSONParser().parse(Self.nested)
        #expect(JSONSerializer.string(value) == Self.nested)
        #expect(JSONSerializer.bytes(value) == Array(Self.nested.utf8))
    }

    @Test func memberOrderAndNumberTextAreKept() throws {
        let value = try JSONParser().parse(Self.nested)
        let object = try #require(value.objectValue)
        #expect(object.keys == ["resourceType", "zeta", "alpha", "empty", "last"])
        #expect(value["alpha"]?.objectValue?.keys == ["valueQuantity", "list", "text"])
        #expect(value["alpha"]?["valueQuantity"]?["value"] == .number("1.50"))
        let list = try #require(value["alpha"]?["list"]?.arrayValue)
        #expect(list.prefix(7) == [
            .number("0"), .number("-0"), .number("-0.0"), .number("1e10"), .number("1E-5"), .number("2.50e+3"),
            .number("12345678901234567890.123"),
        ])
        #expect(list[10].objectValue?.keys == ["b", "a", "c"])
        #expect(value["alpha"]?["text"] == .string("é 名 😀 \n\t\"\\ \u{01}"))
    }

    @Test func whitespaceIsDroppedAndEscapesNormalised() throws {
        let text = " {\r\n\t\"a\" : [ 1.50 , \"\\/\\b\\f\\u0041\" ] , \"b\" : { } }\n "
        let value = try JSONParser().parse(text)
        #expect(value == ["a": [.number("1.50"), "/\u{08}\u{0C}A"], "b": [:]])
        let compact = JSONSerializer.string(value)
        #expect(compact == #"{"a":[1.50,"/\u0008\u000cA"],"b":{}}"#)
        #expect(try JSONParser().parse(compact) == value)
    }

    @Test func scalarsAtTopLevel() throws {
        for text in ["null", "true", "false", "0", "-1.5e3", #""x""#, "[]", "{}"] {
            let value = try JSONParser().parse(text)
            #expect(JSONSerializer.string(value) == text)
        }
    }

    @Test func serializerEscapesEveryControlCharacter() throws {
        let all = String(decoding: (0..<0x20).map { UInt8($0) } + [0x7F], as: UTF8.self)
        let text = JSONSerializer.string(.string(all))
        #expect(!text.utf8.contains { $0 < 0x20 })
        #expect(try JSONParser().parse(text) == .string(all))
    }

    @Test func parsesFromByteCollectionsWithoutContiguousStorage() throws {
        let slice = Array(#"xx{"a":[1]}"#.utf8).dropFirst(2)
        #expect(try JSONParser().parse(slice) == ["a": [1]])
        let lazy = Array(#"[true]"#.utf8).lazy.map { $0 }
        #expect(try JSONParser().parse(lazy) == [true])
    }
}

@Suite("JSON parser: errors")
struct JSONParserErrorTests {
    @Test func emptyBody() {
        #expect(parseError("")?.kind == .empty)
        #expect(parseError(" \r\n\t ")?.kind == .empty)
    }

    @Test func truncated() {
        let error = parseError(#"{"a": [1, 2"#)
        #expect(error?.kind == .truncated)
        #expect(error?.offset == 11)
        for text in ["{", "[", #"{"a""#, #"{"a":"#, #"{"a":1"#, #"{"a":1,"#, "[1,", #""abc"#, #""ab\"#, "tr", "nul", "-"] {
            #expect(parseError(text)?.kind == .truncated, "\(text)")
        }
    }

    @Test func trailingData() {
        for text in ["{} x", "1 2", "[]]", "{}{}", #""a""b""#, "null,"] {
            #expect(parseError(text)?.kind == .trailingData, "\(text)")
        }
        #expect(parseError("{}  x")?.column == 5)
    }

    @Test func duplicateKey() {
        let error = parseError(#"{"a": 1, "b": {"a": 2}, "a": 3}"#)
        #expect(error?.kind == .duplicateKey)
        #expect(error?.key == "a")
        #expect(error?.offset == 24)
        #expect(error?.description == "duplicate key in an object at line 1, column 25 (key 'a')")
        // Keys are compared after unescaping.
        #expect(parseError(#"{"ab": 1, "\u0061b": 2}"#)?.key == "ab")
        // The same key in different objects is fine.
        #expect(throws: Never.self) { try JSONParser().parse(#"[{"a": 1}, {"a": 2}]"#) }
    }

    @Test func depthLimit() throws {
        let limits = JSONLimits(maxDepth: 3)
        #expect(try JSONParser(limits: limits).parse("[[[1]]]") == [[[1]]])
        #expect(try JSONParser(limits: limits).parse(#"{"a":{"b":[]}}"#) == ["a": ["b": []]])
        #expect(parseError("[[[[1]]]]", limits: limits)?.kind == .tooDeep)
        #expect(parseError(#"{"a":{"b":[{}]}}"#, limits: limits)?.kind == .tooDeep)
        // The default limit.
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(parseError(deep)?.kind == .tooDeep)
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try JSONParser().parse(ok) }
    }

    @Test func numberTooLarge() throws {
        let hundred = "1" + String(repeating: "0", count: 99)
        let error = parseError(#"{"n": \#(hundred)}"#)
        #expect(error?.kind == .numberTooLarge)
        #expect(error?.offset == 6)
        #expect(parseError("0." + String(repeating: "1", count: 98))?.kind == .numberTooLarge)
        let forty = String(repeating: "9", count: 40)
        #expect(try JSONParser().parse(forty) == .number(forty))
        #expect(parseError(forty + "9")?.kind == .numberTooLarge)
        #expect(parseError("12345", limits: JSONLimits(maxNumberLength: 4))?.kind == .numberTooLarge)
    }

    @Test func stringTooLong() throws {
        let limits = JSONLimits(maxStringBytes: 4)
        #expect(try JSONParser(limits: limits).parse(#""abcd""#) == "abcd")
        #expect(parseError(#""abcde""#, limits: limits)?.kind == .stringTooLong)
    }

    @Test func invalidUTF8InsideStrings() {
        #expect(parseError(bytes("\"a", 0xFF, "\""))?.kind == .invalidUTF8)
        #expect(parseError(bytes("\"", 0xC3, "\""))?.kind == .invalidUTF8)  // truncated sequence
        #expect(parseError(bytes("\"", [0xC0, 0xAF], "\""))?.kind == .invalidUTF8)  // overlong '/'
        #expect(parseError(bytes("\"", [0xED, 0xA0, 0x80], "\""))?.kind == .invalidUTF8)  // encoded surrogate
        #expect(parseError(bytes("\"", [0xF4, 0x90, 0x80, 0x80], "\""))?.kind == .invalidUTF8)  // above U+10FFFF
        #expect(parseError(bytes("\"\\n", 0x80, "\""))?.kind == .invalidUTF8)  // on the escaped path too
        #expect(parseError(bytes("{\"k", 0xFE, "\": 1}"))?.kind == .invalidUTF8)  // in a key
        let error = parseError(bytes("[\"ok\", \"x", 0xFF, "\"]"))
        #expect(error?.offset == 8)
    }

    @Test func invalidUTF8OutsideStrings() {
        #expect(parseError(bytes(0xFF))?.kind == .invalidUTF8)
        #expect(parseError(bytes("[", 0xC3, 0xA9, "]"))?.kind == .invalidUTF8)  // é is valid UTF-8 but not JSON
        #expect(parseError(bytes("{\"a\": ", 0x80, "}"))?.kind == .invalidUTF8)
        #expect(parseError(bytes([0xEF, 0xBB, 0xBF], "{}"))?.kind == .invalidUTF8)  // a byte order mark
    }

    @Test func surrogates() throws {
        for text in [#""\ud800""#, #""\uD800x""#, #""\udc00""#, #""\ud800\u0041""#, #""\ud800\ud800""#, #""\ud800\n""#,
                     #""\ude00\ud83d""#]
        {
            #expect(parseError(text)?.kind == .invalidEscape, "\(text)")
        }
        let pair = try JSONParser().parse(#""\ud83d\ude00""#)
        #expect(pair.stringValue?.unicodeScalars.map(\.value) == [0x1F600])
        let upper = try JSONParser().parse(#""\uD834\uDD1E!""#)
        #expect(upper.stringValue?.unicodeScalars.map(\.value) == [0x1D11E, 0x21])
        #expect(try JSONParser().parse(#""\u00e9\u0000""#).stringValue?.unicodeScalars.map(\.value) == [0xE9, 0])
    }

    @Test func controlCharactersInStrings() {
        for byte in [0x00, 0x09, 0x0A, 0x0D, 0x1F] {
            #expect(parseError(bytes("\"a", byte, "b\""))?.kind == .controlCharacterInString, "\(byte)")
        }
        #expect(parseError(bytes("{\"a\nb\": 1}"))?.kind == .controlCharacterInString)
        #expect(throws: Never.self) { try JSONParser().parse(bytes("\"", 0x7F, "\"")) }  // DEL is allowed
    }

    @Test func invalidEscapes() {
        for text in [#""\x""#, #""\'""#, #""\a""#, #""\U0041""#, #""\u12G4""#, #""\u12""#, #""\u""#, #""\0""#] {
            #expect(parseError(text)?.kind == .invalidEscape, "\(text)")
        }
        #expect(parseError(bytes("\"\\", 0x01, "\""))?.kind == .invalidEscape)
    }

    @Test func invalidNumbers() {
        // A number the body ends in the middle of is truncated…
        for text in ["-", "1.", "1e", "1E+", "-0."] {
            #expect(parseError(text)?.kind == .truncated, "\(text)")
        }
        // …and one followed by something else is invalid.
        for text in ["[-]", "[1.]", "[1e]", "[1e+]", "[1.e5]", "[-a]", "[--1]", "[1.x]"] {
            #expect(parseError(text)?.kind == .invalidNumber, "\(text)")
        }
        for text in ["+1", ".5", "[.5]", "NaN", "Infinity", "0x10"] {
            #expect(parseError(text) != nil, "\(text)")
        }
    }

    @Test func leadingZerosAreRefused() {
        for text in ["01", "-01", "00", "[01]", #"{"a": 007}"#] {
            #expect(parseError(text) != nil, "\(text)")
        }
    }

    @Test func leadingZerosReportInvalidNumber() {
        #expect(parseError("01")?.kind == .invalidNumber)
        #expect(parseError("[01]")?.kind == .invalidNumber)
        #expect(parseError("-01")?.kind == .invalidNumber)
        #expect(parseError(#"{"a": 007}"#)?.kind == .invalidNumber)
    }

    @Test func unexpectedCharacters() {
        for text in ["x", "[1 2]", #"{"a" 1}"#, "{a:1}", #"{"a":1,}"#, "[1,]", "tru e", "nulL", "{,}", "'a'"] {
            #expect(parseError(text)?.kind == .unexpectedCharacter, "\(text)")
        }
    }

    @Test func lineAndColumnOnLineThree() {
        let text = "{\n  \"a\": 1,\n  \"b\": x\n}"
        let error = parseError(text)
        #expect(error?.kind == .unexpectedCharacter)
        #expect(error?.line == 3)
        #expect(error?.column == 8)
        #expect(error?.offset == 19)
        #expect(error?.description == "unexpected character at line 3, column 8")

        let crlf = parseError("[\r\n1,\r\n2 3]")
        #expect(crlf?.line == 3)
        #expect(crlf?.column == 3)
    }

    @Test func errorsNeverQuoteTheBody() {
        let secret = #"{"name": "Secret Person", "name": 1}"#
        let error = parseError(secret)
        #expect(error?.description.contains("Secret") == false)
    }
}

@Suite("JSON parser: key comparison")
struct JSONParserKeyComparisonTests {
    @Test func canonicallyEquivalentKeysAreDistinctNames() throws {
        // RFC 8259 compares member names by code points; `é` (U+00E9) and `e` + U+0301
        // are different names, not duplicates.
        let value = try JSONParser().parse(#"{"\u00e9": 1, "e\u0301": 2}"#)
        #expect(value.objectValue?.count == 2)
    }
}
