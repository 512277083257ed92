import CareRecord
import FHIR
import Foundation
import Testing

@Suite("BundleEntryStream: streaming a Bundle file's members and entries")
struct BundleEntryStreamTests {
    /// Chunk sizes that split the file everywhere (1), at odd places (7) and not at all.
    static let chunkSizes = [1, 2, 7, 64, 1 << 20]

    /// What a stream produced, with entries parsed so they compare as JSON.
    enum Seen: Equatable, CustomStringConvertible {
        case member(String, JSON)
        case entry(Int, JSON)
        case tooLarge(Int)

        var description: String {
            switch self {
            case .member(let key, let value): "member \(key) = \(JSONSerializer.string(value))"
            case .entry(let index, let value): "entry \(index) = \(JSONSerializer.string(value))"
            case .tooLarge(let index): "entry \(index) too large"
            }
        }
    }

    /// A temporary file holding `bytes`, removed when `body` returns.
    static func withFile<T>(_ bytes: [UInt8], _ body: (String) throws -> T) throws -> T {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("joinedup-bundle-stream-\(UUID().uuidString).json")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(url.path)
    }

    static func withFile<T>(_ text: String, _ body: (String) throws -> T) throws -> T {
        try withFile(Array(text.utf8), body)
    }

    /// Every event of the file at `path`, with each entry's bytes parsed strictly.
    static func events(
        _ path: String, chunkSize: Int = 1 << 20, maxEntryBytes: Int = 64 << 20,
        maxMemberBytes: Int = 1 << 20, limits: JSONLimits = .default
    ) throws -> [Seen] {
        let stream = try BundleEntryStream(
            path: path, chunkSize: chunkSize, maxEntryBytes: maxEntryBytes, maxMemberBytes: maxMemberBytes)
        var seen: [Seen] = []
        while let event = try stream.next() {
            switch event {
            case .member(let key, let value): seen.append(.member(key, value))
            case .entry(let index, let bytes):
                #expect(bytes.first == UInt8(ascii: "{") && bytes.last == UInt8(ascii: "}"), "entry bytes run from { to }")
                seen.append(.entry(index, try JSONParser(limits: limits).parse(bytes)))
            case .entryTooLarge(let index): seen.append(.tooLarge(index))
            }
        }
        #expect(try stream.next() == nil, "nil stays nil")
        #expect(stream.bytesRead == (try Data(contentsOf: URL(fileURLWithPath: path)).count))
        return seen
    }

    /// What the stream must produce for a bundle, from a strict whole-file parse: the members
    /// in file order, with `entry` replaced by its elements in order.
    static func expected(_ bytes: [UInt8], limits: JSONLimits = .default) throws -> [Seen] {
        let whole = try #require(try JSONParser(limits: limits).parse(bytes).objectValue)
        var seen: [Seen] = []
        for member in whole {
            if member.key == "entry" {
                let elements = try #require(member.value.arrayValue)
                seen += elements.enumerated().map { .entry($0.offset, $0.element) }
            } else {
                seen.append(.member(member.key, member.value))
            }
        }
        return seen
    }

    /// Checks the stream against the whole-file parse at every chunk size; returns the events.
    @discardableResult
    static func checkAgainstWholeParse(
        _ text: String, chunkSizes: [Int] = chunkSizes, limits: JSONLimits = .default,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [Seen] {
        let bytes = Array(text.utf8)
        let expected = try expected(bytes, limits: limits)
        return try withFile(bytes) { path in
            for size in chunkSizes {
                let seen = try events(path, chunkSize: size, limits: limits)
                #expect(seen == expected, "chunk size \(size)", sourceLocation: sourceLocation)
            }
            return expected
        }
    }

    /// The error streaming `text` throws (at every chunk size, all the same).
    static func failure(
        _ text: String, maxEntryBytes: Int = 64 << 20, maxMemberBytes: Int = 1 << 20,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> BundleEntryStream.StreamError? {
        try withFile(text) { path in
            var errors: [BundleEntryStream.StreamError] = []
            for size in chunkSizes {
                do {
                    let seen = try events(path, chunkSize: size, maxEntryBytes: maxEntryBytes, maxMemberBytes: maxMemberBytes)
                    Issue.record("no error at chunk size \(size): \(seen)", sourceLocation: sourceLocation)
                } catch let error as BundleEntryStream.StreamError {
                    errors.append(error)
                }
            }
            #expect(Set(errors).count <= 1, "the same error whatever the chunk size: \(errors)", sourceLocation: sourceLocation)
            return errors.first
        }
    }

    // MARK: - Well-formed bundles

    @Test func membersAndEntriesMatchTheWholeFileParse() throws {
        let text = """
            {
              "resourceType": "Bundle",
              "id": "b1",
              "meta": {"lastUpdated": "2025-01-01T00:00:00Z", "tag": [{"code": "x"}]},
              "type": "transaction",
              "total": 2,
              "flag": true,
              "nothing": null,
              "entry": [
                {"fullUrl": "urn:uuid:1", "resource": {"resourceType": "Patient", "id": "p1", "active": false}},
                {"resource": {"resourceType": "Observation", "valueQuantity": {"value": 1.50, "unit": "mg"}},
                 "request": {"method": "POST", "url": "Observation"}}
              ],
              "signature": {"type": [], "data": "abc"}
            }
            """
        let seen = try Self.checkAgainstWholeParse(text)
        #expect(seen.count == 10)
        #expect(seen.first == .member("resourceType", "Bundle"))
        #expect(seen[4] == .member("total", .number("2")))
        #expect(seen.last == .member("signature", ["type": [], "data": "abc"]))
    }

    @Test func entryBytesAreExactlyTheElementsText() throws {
        let first = #"{ "a" : [1, {"b": "}"}] }"#
        let second = #"{"c":"\"{"}"#
        let text = "{\"entry\":[\n  \(first) ,\t\(second)\r\n], \"type\":\"batch\"}\n\n"
        try Self.withFile(text) { path in
            for size in Self.chunkSizes {
                let stream = try BundleEntryStream(path: path, chunkSize: size)
                #expect(try stream.next() == .entry(index: 0, bytes: Array(first.utf8)))
                #expect(try stream.next() == .entry(index: 1, bytes: Array(second.utf8)))
                #expect(try stream.next() == .member("type", "batch"))
                #expect(try stream.next() == nil)
            }
        }
    }

    @Test func membersMayComeInAnyOrderAroundTheEntries() throws {
        let text = #"{"entry": [{"resource": {"resourceType": "Patient"}}, {"resource": {"id": "2"}}], "type": "batch", "resourceType": "Bundle"}"#
        let seen = try Self.checkAgainstWholeParse(text)
        #expect(seen == [
            .entry(0, ["resource": ["resourceType": "Patient"]]),
            .entry(1, ["resource": ["id": "2"]]),
            .member("type", "batch"),
            .member("resourceType", "Bundle"),
        ])
        try Self.checkAgainstWholeParse(#"{"type": "batch", "entry": [{}], "resourceType": "Bundle"}"#)
    }

    @Test func bracketsQuotesAndEscapesInsideStringsDoNotCount() throws {
        let text = #"""
            {"resourceType": "Bundle", "id": "{[\"}]\\",
             "entry": [
               {"a": "a\"}b", "b": "{[", "c": "]}", "d": "\\", "e": "\\\"", "f": "x\\\\"},
               {"\"{key}\"": "caf\u00e9 \ud83d\ude00 \u005c \u0022 \/ \b\f\n\r\t", "g": ["[", "]", "{", "}"]},
               {"h": "é 😀 中文", "i": "\\\\\\", "j": ""}
             ],
             "meta\u0021": {"k": "}}}"}
            }
            """#
        let seen = try Self.checkAgainstWholeParse(text)
        #expect(seen.count == 6)
        #expect(seen[0] == .member("resourceType", "Bundle"))
        #expect(seen[1] == .member("id", #"{["}]\"#))
        #expect(seen[5] == .member("meta!", ["k": "}}}"]), "keys are unescaped")
    }

    @Test func emptyOrAbsentEntries() throws {
        #expect(try Self.checkAgainstWholeParse(#"{"resourceType": "Bundle", "entry": [], "type": "batch"}"#)
            == [.member("resourceType", "Bundle"), .member("type", "batch")])
        #expect(try Self.checkAgainstWholeParse(#"{"resourceType": "Bundle", "entry": [ ] }"#)
            == [.member("resourceType", "Bundle")])
        #expect(try Self.checkAgainstWholeParse(#"{"resourceType": "Bundle", "type": "collection"}"#)
            == [.member("resourceType", "Bundle"), .member("type", "collection")])
        #expect(try Self.checkAgainstWholeParse("{}") == [])
        #expect(try Self.checkAgainstWholeParse(" \n{ \t}\r\n ") == [])
    }

    @Test func deeplyNestedEntries() throws {
        let depth = 300
        let deepObject = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
        let deepArray = #"{"b":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        let mixed = String(repeating: #"{"c":[{"d":"]}"},"#, count: 100) + "0" + String(repeating: "]}", count: 100)
        let text = #"{"entry": [\#(deepObject), \#(deepArray), \#(mixed)], "type": "batch"}"#
        let limits = JSONLimits(maxDepth: 1000)
        let seen = try Self.checkAgainstWholeParse(text, chunkSizes: [1, 7, 1 << 20], limits: limits)
        #expect(seen.count == 4)
    }

    @Test func anOverlongEntryIsSkippedAndTheNextStillComes() throws {
        let big = #"{"resource": {"data": ""# + String(repeating: "x", count: 500) + #"", "n": [1, 2, {"z": "]"}]}}"#
        let exact = #"{"a": ""# + String(repeating: "y", count: 91) + #""}"#
        #expect(exact.utf8.count == 100)
        let text = #"{"resourceType": "Bundle", "entry": [{"a": 1}, \#(big), \#(exact), \#(big)], "type": "batch"}"#
        try Self.withFile(text) { path in
            for size in Self.chunkSizes {
                let seen = try Self.events(path, chunkSize: size, maxEntryBytes: 100)
                #expect(seen == [
                    .member("resourceType", "Bundle"),
                    .entry(0, ["a": 1]),
                    .tooLarge(1),
                    .entry(2, ["a": .string(String(repeating: "y", count: 91))]),
                    .tooLarge(3),
                    .member("type", "batch"),
                ], "chunk size \(size)")
            }
        }
    }

    /// Random bundles whose strings are dense with quotes, backslashes and brackets, so the
    /// word-at-a-time string scan meets them at every alignment and chunk split.
    @Test func randomBundlesWithAwkwardStrings() throws {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func random(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        let pieces = [#"\""#, #"\\"#, "{", "}", "[", "]", ",", ":", "a", "bcdefgh", " ", #"\u00e9"#, "ü", #"\/"#, #"\n"#, "😀"]
        func string() -> String {
            "\"" + (0..<random(12)).map { _ in pieces[random(pieces.count)] }.joined() + "\""
        }
        func space() -> String { ["", " ", "\n  ", "\t"][random(4)] }
        func value(_ depth: Int) -> String {
            switch depth > 3 ? random(3) : random(6) {
            case 0: return string()
            case 1: return ["1", "-2.50", "true", "null", "0e5"][random(5)]
            case 2: return "[]"
            case 3: return "[" + (0..<random(4) + 1).map { _ in space() + value(depth + 1) }.joined(separator: ",") + space() + "]"
            default: return object(depth + 1)
            }
        }
        func object(_ depth: Int) -> String {
            let keys = Set((0..<random(5)).map { _ in string() })
            return "{" + keys.map { space() + $0 + space() + ":" + space() + value(depth) }.joined(separator: ",") + space() + "}"
        }
        for _ in 0..<40 {
            let entries = (0..<random(5)).map { _ in space() + object(0) + space() }
            var members = [#""resourceType": "Bundle""#, #""type":"# + string(), #""meta":"# + object(1)]
            members.insert(#""entry":["# + entries.joined(separator: ",") + "]", at: random(4))
            let text = space() + "{" + members.map { space() + $0 + space() }.joined(separator: ",") + "}" + space()
            try Self.checkAgainstWholeParse(text, chunkSizes: [1, 3, 7, 1 << 20])
        }
    }

    @Test func theRealSyntheaBundles() throws {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("../shared/fixtures/synthea-r4").standardizedFileURL
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        #expect(files.count == 5)
        var smallest: (path: String, size: Int)?
        for file in files {
            let path = folder.appendingPathComponent(file).path
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            let expected = try Self.expected(bytes)
            let entryCount = expected.filter { if case .entry = $0 { true } else { false } }.count
            #expect(entryCount > 0, "\(file) has entries")
            for size in [7, 4096, 1 << 20] {
                #expect(try Self.events(path, chunkSize: size) == expected, "\(file), chunk size \(size)")
            }
            if smallest == nil || bytes.count < smallest!.size { smallest = (path, bytes.count) }
        }
        let one = try #require(smallest)
        #expect(try Self.events(one.path, chunkSize: 1) == (try Self.expected(Array(Data(contentsOf: URL(fileURLWithPath: one.path))))))
    }

    // MARK: - Faults

    @Test func everyTruncationIsAnError() throws {
        let text = #"{"resourceType":"Bundle","meta":{"a":[1,"}"]},"entry":[{"x":"a\"b","y":[{}]},{"z":1}],"total":12,"type":"batch"}"#
        let bytes = Array(text.utf8)
        for cut in 0..<bytes.count {
            try Self.withFile(Array(bytes[..<cut])) { path in
                for size in [1, 7, 1 << 20] {
                    #expect(throws: BundleEntryStream.StreamError.self, "cut at \(cut), chunk size \(size)") {
                        _ = try Self.events(path, chunkSize: size)
                    }
                }
            }
        }
    }

    @Test func truncationsSayWhatIsUnfinished() throws {
        #expect(try Self.failure("")?.kind == .empty)
        #expect(try Self.failure("  \n")?.kind == .empty)
        #expect(try Self.failure(#"{"type": "batch""#)?.kind == .truncated)
        #expect(try Self.failure(#"{"type": "batch", "entry": [{"a": 1}, "#) == BundleEntryStream.StreamError(kind: .truncated, offset: 38))
        #expect(try Self.failure(#"{"entry": [{"a": "bc"#) == BundleEntryStream.StreamError(kind: .unterminatedString, offset: 17))
        #expect(try Self.failure(#"{"entry": [{"a": {"b": [1, 2"#) == BundleEntryStream.StreamError(kind: .unterminatedValue, offset: 11))
        #expect(try Self.failure(#"{"meta": {"a": 1"#) == BundleEntryStream.StreamError(kind: .unterminatedValue, offset: 9))
        #expect(try Self.failure(#"{"ty"#) == BundleEntryStream.StreamError(kind: .unterminatedString, offset: 1))
        #expect(try Self.failure(#"{"total": 12"#)?.kind == .truncated)
    }

    @Test func dataAfterTheClosingBrace() throws {
        #expect(try Self.failure(#"{"type": "batch"} x"#) == BundleEntryStream.StreamError(kind: .trailingData, offset: 18))
        #expect(try Self.failure(#"{"entry": []}{}"#) == BundleEntryStream.StreamError(kind: .trailingData, offset: 13))
        #expect(try Self.failure(#"{"entry": [{}]}]"#)?.kind == .trailingData)
        try Self.checkAgainstWholeParse("{\"type\": \"batch\"} \n\t\r\n")
    }

    @Test func theTopLevelMustBeAnObject() throws {
        #expect(try Self.failure(#"[{"resourceType": "Bundle"}]"#) == BundleEntryStream.StreamError(kind: .notAnObject, offset: 0))
        #expect(try Self.failure(#"  "Bundle""#) == BundleEntryStream.StreamError(kind: .notAnObject, offset: 2))
        #expect(try Self.failure("\u{FEFF}{}")?.kind == .notAnObject)
    }

    @Test func entryMustBeAnArrayOfObjects() throws {
        #expect(try Self.failure(#"{"entry": {"a": 1}}"#) == BundleEntryStream.StreamError(kind: .entryNotArray, offset: 10))
        #expect(try Self.failure(#"{"entry": null}"#)?.kind == .entryNotArray)
        #expect(try Self.failure(#"{"entry": "[{}]"}"#)?.kind == .entryNotArray)
        #expect(try Self.failure(#"{"entry": [{}, 1]}"#) == BundleEntryStream.StreamError(kind: .entryNotObject, offset: 15))
        #expect(try Self.failure(#"{"entry": [[]]}"#)?.kind == .entryNotObject)
        #expect(try Self.failure(#"{"entry": ["{}"]}"#)?.kind == .entryNotObject)
        #expect(try Self.failure(#"{"entry": [{},]}"#)?.kind == .unexpectedCharacter)
        #expect(try Self.failure(#"{"entry": [,{}]}"#)?.kind == .entryNotObject)
        #expect(try Self.failure(#"{"entry": [{} {}]}"#)?.kind == .unexpectedCharacter)
    }

    @Test func bracketsMustBalanceAndMatch() throws {
        #expect(try Self.failure(#"{"entry": [{"a": [}]}]}"#) == BundleEntryStream.StreamError(kind: .mismatchedBracket, offset: 18))
        #expect(try Self.failure(#"{"entry": [{"a": {]}]}"#)?.kind == .mismatchedBracket)
        #expect(try Self.failure(#"{"meta": [1}]}"#)?.kind == .mismatchedBracket)
        #expect(try Self.failure(#"{"entry": [{"a": {}}}]}"#)?.kind == .unexpectedCharacter)
        #expect(try Self.failure(#"{"entry": [{"a": 1}]]}"#)?.kind == .unexpectedCharacter)
    }

    @Test func topLevelStructureAndMemberValues() throws {
        #expect(try Self.failure(#"{"type": "a", "id": "b", "type": "c"}"#)
            == BundleEntryStream.StreamError(kind: .duplicateKey, offset: 25, key: "type"))
        #expect(try Self.failure(#"{"entry": [], "entry": []}"#)?.key == "entry")
        #expect(try Self.failure(#"{"type" "batch"}"#)?.kind == .unexpectedCharacter)
        #expect(try Self.failure(#"{"type": "batch",}"#)?.kind == .unexpectedCharacter)
        #expect(try Self.failure(#"{type: "batch"}"#)?.kind == .unexpectedCharacter)
        #expect(try Self.failure(#"{"type": }"#)?.kind == .unexpectedCharacter)
        #expect(try Self.failure(#"{"type": "a" "id": "b"}"#)?.kind == .unexpectedCharacter)
        #expect(try Self.failure(#"{"total": 012}"#)
            == BundleEntryStream.StreamError(kind: .invalidMember, offset: 10, parseError: .invalidNumber))
        #expect(try Self.failure(#"{"flag": tru}"#)?.kind == .invalidMember)
        #expect(try Self.failure(#"{"meta": {"a": 1, "a": 2}}"#)?.parseError == .duplicateKey)
        #expect(try Self.failure(#"{"bad\q": 1}"#)?.kind == .invalidKey)
        #expect(try Self.failure(#"{"meta": {"a": "0123456789"}}"#, maxMemberBytes: 18)
            == BundleEntryStream.StreamError(kind: .memberTooLarge, offset: 9))
        try Self.withFile(#"{"meta": {"a": "0123456789"}}"#) { (path: String) throws in
            #expect(try Self.events(path, maxMemberBytes: 19) == [.member("meta", ["a": "0123456789"])])
        }
    }

    @Test func errorsNameTheOffsetButNeverTheContent() throws {
        let cases = [
            #"{"entry": [{"name": "Jane Secret", "x": [}]}"#,
            #"{"meta": {"note": "Jane Secret"}, "meta": 1}"#,
            #"{"note": "Jane Secret" oops}"#,
            #"{"note": "Jane Secret\q"}"#,
            #"{"entry": [{"name": "Jane Secret"#,
            #"{"type": "Jane Secret"} Jane Secret"#,
        ]
        for text in cases {
            let error = try #require(try Self.failure(text))
            #expect(error.description.contains("byte offset \(error.offset)"))
            #expect(!error.description.contains("Jane"), "\(error.description)")
            #expect(!error.description.contains("Secret"), "\(error.description)")
        }
    }

    @Test func aMissingFileCannotBeOpened() {
        #expect(throws: (any Error).self) {
            _ = try BundleEntryStream(path: "/nonexistent/joinedup-\(UUID().uuidString).json")
        }
    }
}
