import Testing

@testable import FHIR

private func parse(_ text: String) throws -> JSON {
    try JSONParser().parse(text)
}

/// Applies the patch document `patch` to `document`, both given as JSON text.
private func applying(_ patch: String, to document: String) throws -> JSON {
    let patchJSON = try parse(patch)
    let documentJSON = try parse(document)
    return try JSONPatch(json: patchJSON).apply(to: documentJSON)
}

/// The error reading or applying `patch` gives, or nil (after recording an issue) if it succeeds.
private func failure(
    _ patch: String, on document: String = "{}", sourceLocation: SourceLocation = #_sourceLocation
) throws -> JSONPatchError? {
    let patchJSON = try parse(patch)
    let documentJSON = try parse(document)
    do throws(JSONPatchError) {
        let result = try JSONPatch(json: patchJSON).apply(to: documentJSON)
        Issue.record("expected the patch to fail, got \(JSONSerializer.string(result))", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

@Suite("JSON Pointer (RFC 6901)")
struct JSONPatchPointerTests {
    /// The document of RFC 6901 section 5.
    static let rfcDocument = #"""
        {"foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4, "i\\j": 5, "k\"l": 6, " ": 7, "m~n": 8}
        """#

    @Test("RFC 6901 section 5 examples", arguments: [
        ("", nil),
        ("/foo", #"["bar","baz"]"#),
        ("/foo/0", #""bar""#),
        ("/", "0"),
        ("/a~1b", "1"),
        ("/c%d", "2"),
        ("/e^f", "3"),
        ("/g|h", "4"),
        (#"/i\j"#, "5"),
        (#"/k"l"#, "6"),
        ("/ ", "7"),
        ("/m~0n", "8"),
    ] as [(String, String?)])
    func rfcExamples(pointer: String, expected: String?) throws {
        let document = try parse(Self.rfcDocument)
        let resolved = try JSONPointer(pointer).resolve(in: document)
        #expect(resolved == (try expected.map(parse) ?? document))
    }

    @Test func tokensAndEscapes() throws {
        #expect(try JSONPointer("").tokens == [])
        #expect(try JSONPointer("").isRoot)
        #expect(try JSONPointer("/").tokens == [""])
        #expect(try JSONPointer("//").tokens == ["", ""])
        #expect(try JSONPointer("/a/b/0").tokens == ["a", "b", "0"])
        #expect(try JSONPointer("/~01").tokens == ["~1"])  // not "/": ~0 is decoded after ~1
        #expect(try JSONPointer("/~10").tokens == ["/0"])
        #expect(try JSONPointer("/a~1b~0c").tokens == ["a/b~c"])
        #expect(try JSONPointer("/é/名").tokens == ["é", "名"])
    }

    @Test func descriptionRoundTrips() throws {
        for text in ["", "/", "/a~1b", "/m~0n", "/~01", "/a/0/-", "//x/", "/é"] {
            #expect(try JSONPointer(text).description == text)
        }
        #expect(JSONPointer(tokens: ["a/b", "~"]).description == "/a~1b/~0")
    }

    @Test func badPointers() {
        #expect(throws: JSONPointerError(kind: .missingLeadingSlash, offset: 0)) { try JSONPointer("foo") }
        #expect(throws: JSONPointerError(kind: .missingLeadingSlash, offset: 0)) { try JSONPointer("#/foo") }
        #expect(throws: JSONPointerError(kind: .invalidEscape, offset: 2)) { try JSONPointer("/a~2") }
        #expect(throws: JSONPointerError(kind: .invalidEscape, offset: 2)) { try JSONPointer("/a~") }
        #expect(throws: JSONPointerError(kind: .invalidEscape, offset: 1)) { try JSONPointer("/~/x") }
    }

    @Test func arrayIndexes() {
        #expect(JSONPointer.arrayIndex("0") == .index(0))
        #expect(JSONPointer.arrayIndex("10") == .index(10))
        #expect(JSONPointer.arrayIndex("-") == .end)
        #expect(JSONPointer.arrayIndex("99999999999999999999999") == .index(Int.max))
        for bad in ["", "01", "00", "+1", "-1", "1.0", "1e2", "x", " 1", "--", "١"] {
            #expect(JSONPointer.arrayIndex(bad) == nil, "\(bad)")
        }
    }

    @Test func resolveMisses() throws {
        let document = try parse(#"{"a": [10, {"b": "c"}], "s": "text"}"#)
        #expect(try JSONPointer("/a/1/b").resolve(in: document) == "c")
        #expect(try JSONPointer("/a/2").resolve(in: document) == nil)
        #expect(try JSONPointer("/a/-").resolve(in: document) == nil)
        #expect(try JSONPointer("/a/01").resolve(in: document) == nil)
        #expect(try JSONPointer("/s/0").resolve(in: document) == nil)
        #expect(try JSONPointer("/x").resolve(in: document) == nil)
    }

    @Test func properPrefix() throws {
        #expect(try JSONPointer("/a").isProperPrefix(of: JSONPointer("/a/b")))
        #expect(try JSONPointer("").isProperPrefix(of: JSONPointer("/a")))
        #expect(try !JSONPointer("/a").isProperPrefix(of: JSONPointer("/a")))
        #expect(try !JSONPointer("/a").isProperPrefix(of: JSONPointer("/ab")))
        #expect(try !JSONPointer("/a/b").isProperPrefix(of: JSONPointer("/a")))
        #expect(try JSONPointer("/a/b").parent == JSONPointer("/a"))
        #expect(JSONPointer.root.parent == nil)
    }
}

@Suite("JSON Patch (RFC 6902 Appendix A)")
struct JSONPatchAppendixATests {
    @Test("A.1 Adding an Object Member")
    func a1() throws {
        let result = try applying(#"[{"op": "add", "path": "/baz", "value": "qux"}]"#, to: #"{"foo": "bar"}"#)
        #expect(result == (try parse(#"{"foo": "bar", "baz": "qux"}"#)))
    }

    @Test("A.2 Adding an Array Element")
    func a2() throws {
        let result = try applying(#"[{"op": "add", "path": "/foo/1", "value": "qux"}]"#, to: #"{"foo": ["bar", "baz"]}"#)
        #expect(result == (try parse(#"{"foo": ["bar", "qux", "baz"]}"#)))
    }

    @Test("A.3 Removing an Object Member")
    func a3() throws {
        let result = try applying(#"[{"op": "remove", "path": "/baz"}]"#, to: #"{"baz": "qux", "foo": "bar"}"#)
        #expect(result == (try parse(#"{"foo": "bar"}"#)))
    }

    @Test("A.4 Removing an Array Element")
    func a4() throws {
        let result = try applying(#"[{"op": "remove", "path": "/foo/1"}]"#, to: #"{"foo": ["bar", "qux", "baz"]}"#)
        #expect(result == (try parse(#"{"foo": ["bar", "baz"]}"#)))
    }

    @Test("A.5 Replacing a Value")
    func a5() throws {
        let result = try applying(
            #"[{"op": "replace", "path": "/baz", "value": "boo"}]"#, to: #"{"baz": "qux", "foo": "bar"}"#)
        #expect(result == (try parse(#"{"baz": "boo", "foo": "bar"}"#)))
    }

    @Test("A.6 Moving a Value")
    func a6() throws {
        let result = try applying(
            #"[{"op": "move", "from": "/foo/waldo", "path": "/qux/thud"}]"#,
            to: #"{"foo": {"bar": "baz", "waldo": "fred"}, "qux": {"corge": "grault"}}"#)
        #expect(result == (try parse(#"{"foo": {"bar": "baz"}, "qux": {"corge": "grault", "thud": "fred"}}"#)))
    }

    @Test("A.7 Moving an Array Element")
    func a7() throws {
        let result = try applying(
            #"[{"op": "move", "from": "/foo/1", "path": "/foo/3"}]"#, to: #"{"foo": ["all", "grass", "cows", "eat"]}"#)
        #expect(result == (try parse(#"{"foo": ["all", "cows", "eat", "grass"]}"#)))
    }

    @Test("A.8 Testing a Value: Success")
    func a8() throws {
        let document = #"{"baz": "qux", "foo": ["a", 2, "c"]}"#
        let result = try applying(
            #"[{"op": "test", "path": "/baz", "value": "qux"}, {"op": "test", "path": "/foo/1", "value": 2}]"#,
            to: document)
        #expect(result == (try parse(document)))
    }

    @Test("A.9 Testing a Value: Error")
    func a9() throws {
        let error = try failure(#"[{"op": "test", "path": "/baz", "value": "bar"}]"#, on: #"{"baz": "qux"}"#)
        #expect(error == JSONPatchError(operationIndex: 0, operation: "test", member: "path", pointer: "/baz", reason: .testFailed))
    }

    @Test("A.10 Adding a Nested Member Object")
    func a10() throws {
        let result = try applying(
            #"[{"op": "add", "path": "/child", "value": {"grandchild": {}}}]"#, to: #"{"foo": "bar"}"#)
        #expect(result == (try parse(#"{"foo": "bar", "child": {"grandchild": {}}}"#)))
    }

    @Test("A.11 Ignoring Unrecognized Elements")
    func a11() throws {
        let result = try applying(
            #"[{"op": "add", "path": "/baz", "value": "qux", "xyz": 123}]"#, to: #"{"foo": "bar"}"#)
        #expect(result == (try parse(#"{"foo": "bar", "baz": "qux"}"#)))
    }

    @Test("A.12 Adding to a Nonexistent Target")
    func a12() throws {
        let error = try failure(#"[{"op": "add", "path": "/baz/bat", "value": "qux"}]"#, on: #"{"foo": "bar"}"#)
        #expect(error?.reason == .parentNotFound)
        #expect(error?.operationIndex == 0)
        #expect(error?.pointer == "/baz/bat")
    }

    @Test("A.13 Invalid JSON Patch Document (duplicate op) is refused by the parser")
    func a13() {
        #expect(throws: JSONParseError.self) {
            try parse(#"[{"op": "add", "path": "/baz", "value": "qux", "op": "remove"}]"#)
        }
    }

    @Test("A.14 ~ Escape Ordering")
    func a14() throws {
        let document = #"{"/": 9, "~1": 10}"#
        let result = try applying(#"[{"op": "test", "path": "/~01", "value": 10}]"#, to: document)
        #expect(result == (try parse(document)))
    }

    @Test("A.15 Comparing Strings and Numbers")
    func a15() throws {
        let error = try failure(#"[{"op": "test", "path": "/~01", "value": "10"}]"#, on: #"{"/": 9, "~1": 10}"#)
        #expect(error?.reason == .testFailed)
        #expect(error?.pointer == "/~01")
    }

    @Test("A.16 Adding an Array Value")
    func a16() throws {
        let result = try applying(
            #"[{"op": "add", "path": "/foo/-", "value": ["abc", "def"]}]"#, to: #"{"foo": ["bar"]}"#)
        #expect(result == (try parse(#"{"foo": ["bar", ["abc", "def"]]}"#)))
    }
}

@Suite("JSON Patch semantics")
struct JSONPatchSemanticsTests {
    @Test func readsOperations() throws {
        let patch = try JSONPatch(json: parse(#"""
            [{"op": "add", "path": "/a", "value": 1},
             {"op": "remove", "path": "/b"},
             {"op": "replace", "path": "/c", "value": null},
             {"op": "move", "from": "/d", "path": "/e"},
             {"op": "copy", "from": "/f", "path": "/g"},
             {"op": "test", "path": "", "value": {}}]
            """#))
        func pointer(_ name: String) -> JSONPointer { JSONPointer(tokens: [name]) }
        let expected: [JSONPatch.Operation] = [
            .add(path: pointer("a"), value: 1),
            .remove(path: pointer("b")),
            .replace(path: pointer("c"), value: .null),
            .move(from: pointer("d"), path: pointer("e")),
            .copy(from: pointer("f"), path: pointer("g")),
            .test(path: .root, value: [:]),
        ]
        #expect(patch.operations == expected)
        #expect(patch.operations.map(\.name) == ["add", "remove", "replace", "move", "copy", "test"])
        #expect(try JSONPatch(json: parse("[]")).apply(to: "x") == "x")
    }

    @Test func addReplacesExistingMemberInPlace() throws {
        let result = try applying(#"[{"op": "add", "path": "/a", "value": 9}]"#, to: #"{"a": 1, "b": 2}"#)
        #expect(JSONSerializer.string(result) == #"{"a":9,"b":2}"#)
    }

    @Test func replaceKeepsMemberOrderAndNumberText() throws {
        let result = try applying(
            #"[{"op": "replace", "path": "/a", "value": 1.50}, {"op": "add", "path": "/c", "value": 2.000}]"#,
            to: #"{"a": 1, "b": 2}"#)
        #expect(JSONSerializer.string(result) == #"{"a":1.50,"b":2,"c":2.000}"#)
    }

    @Test func addIntoArrays() throws {
        #expect(try applying(#"[{"op": "add", "path": "/0", "value": 0}]"#, to: "[1, 2]") == [0, 1, 2])
        #expect(try applying(#"[{"op": "add", "path": "/2", "value": 3}]"#, to: "[1, 2]") == [1, 2, 3])
        #expect(try applying(#"[{"op": "add", "path": "/-", "value": 3}]"#, to: "[1, 2]") == [1, 2, 3])
        #expect(try applying(#"[{"op": "add", "path": "/-", "value": 1}]"#, to: "[]") == [1])
        let error = try failure(#"[{"op": "add", "path": "/3", "value": 3}]"#, on: "[1, 2]")
        #expect(error?.reason == .arrayIndexOutOfRange)
        #expect(try failure(#"[{"op": "add", "path": "/01", "value": 3}]"#, on: "[1, 2]")?.reason == .invalidArrayIndex)
        #expect(try failure(#"[{"op": "add", "path": "/x", "value": 3}]"#, on: "[1, 2]")?.reason == .invalidArrayIndex)
    }

    @Test func numericTokensAreMemberNamesInObjects() throws {
        let result = try applying(
            #"[{"op": "add", "path": "/0", "value": "zero"}, {"op": "add", "path": "/-", "value": "dash"}]"#, to: "{}")
        #expect(result == ["0": "zero", "-": "dash"])
    }

    @Test func wholeDocument() throws {
        #expect(try applying(#"[{"op": "add", "path": "", "value": [1]}]"#, to: #"{"a": 1}"#) == [1])
        #expect(try applying(#"[{"op": "replace", "path": "", "value": "x"}]"#, to: #"{"a": 1}"#) == "x")
        #expect(try applying(#"[{"op": "test", "path": "", "value": {"a": 1}}]"#, to: #"{"a": 1}"#) == ["a": 1])
        #expect(try failure(#"[{"op": "remove", "path": ""}]"#, on: "{}")?.reason == .cannotRemoveDocument)
        // Copying the document into itself is allowed: the value is taken before the add.
        #expect(try applying(#"[{"op": "copy", "from": "", "path": "/self"}]"#, to: #"{"a": 1}"#)
            == ["a": 1, "self": ["a": 1]])
    }

    @Test func addIntoPrimitiveFails() throws {
        let error = try failure(#"[{"op": "add", "path": "/a/b", "value": 1}]"#, on: #"{"a": "text"}"#)
        #expect(error?.reason == .parentNotAContainer)
        #expect(error?.pointer == "/a/b")
    }

    @Test func deepChanges() throws {
        let document = #"{"name": [{"given": ["Ann", "Bo"]}, {"given": ["Cy"]}], "id": "1"}"#
        let result = try applying(#"""
            [{"op": "replace", "path": "/name/0/given/1", "value": "Bea"},
             {"op": "remove", "path": "/name/1/given/0"},
             {"op": "add", "path": "/name/1/family", "value": "Doe"}]
            """#, to: document)
        #expect(JSONSerializer.string(result)
            == #"{"name":[{"given":["Ann","Bea"]},{"given":[],"family":"Doe"}],"id":"1"}"#)
    }

    @Test func move() throws {
        #expect(try applying(#"[{"op": "move", "from": "/a", "path": "/b"}]"#, to: #"{"a": 1, "c": 2}"#)
            == ["c": 2, "b": 1])
        // Onto itself: no change, not even of member order.
        #expect(try applying(#"[{"op": "move", "from": "/a", "path": "/a"}]"#, to: #"{"a": 1, "c": 2}"#)
            == ["a": 1, "c": 2])
        #expect(try failure(#"[{"op": "move", "from": "/x", "path": "/x"}]"#)?.reason == .targetNotFound)
        // /a is not a prefix of /ab.
        #expect(try applying(#"[{"op": "move", "from": "/a", "path": "/ab"}]"#, to: #"{"a": 1}"#) == ["ab": 1])
        // Out of a child into its parent is fine.
        #expect(try applying(#"[{"op": "move", "from": "/a/b", "path": "/a"}]"#, to: #"{"a": {"b": 1}}"#) == ["a": 1])
        // Between arrays.
        #expect(try applying(#"[{"op": "move", "from": "/a/0", "path": "/b/-"}]"#, to: #"{"a": [1, 2], "b": [3]}"#)
            == ["a": [2], "b": [3, 1]])
        // A missing destination parent fails after the source was removed; the patch still fails whole.
        #expect(try failure(#"[{"op": "move", "from": "/a", "path": "/x/y"}]"#, on: #"{"a": 1}"#)?.reason
            == .parentNotFound)
    }

    @Test func moveIntoOwnChildFails() throws {
        let error = try failure(#"[{"op": "move", "from": "/a", "path": "/a/b"}]"#, on: #"{"a": {"b": 1}}"#)
        #expect(error == JSONPatchError(
            operationIndex: 0, operation: "move", member: "from", pointer: "/a", reason: .moveIntoOwnChild))
        #expect(try failure(#"[{"op": "move", "from": "", "path": "/a"}]"#)?.reason == .moveIntoOwnChild)
    }

    @Test func copy() throws {
        let result = try applying(
            #"[{"op": "copy", "from": "/a", "path": "/b"}, {"op": "replace", "path": "/a/x", "value": 2}]"#,
            to: #"{"a": {"x": 1}}"#)
        #expect(result == ["a": ["x": 2], "b": ["x": 1]])
        #expect(try applying(#"[{"op": "copy", "from": "/a/0", "path": "/a/0"}]"#, to: #"{"a": [1]}"#) == ["a": [1, 1]])
        #expect(try applying(#"[{"op": "copy", "from": "/a", "path": "/a/b"}]"#, to: #"{"a": {}}"#)
            == ["a": ["b": [:]]])
        let error = try failure(#"[{"op": "copy", "from": "/nope", "path": "/b"}]"#)
        #expect(error == JSONPatchError(
            operationIndex: 0, operation: "copy", member: "from", pointer: "/nope", reason: .targetNotFound))
    }

    @Test("test compares numbers by value, exactly", arguments: [
        ("1", "1.0", true), ("1", "1e0", true), ("1", "10e-1", true), ("1", "0.1E+1", true),
        ("100", "1e2", true), ("0", "-0", true), ("0", "0.0e5", true), ("1.50", "1.5", true),
        ("-2.5", "-25e-1", true), ("0.001", "1e-3", true), ("123.456", "123456e-3", true),
        ("1", "2", false), ("1", "-1", false), ("1", "10", false), ("1e2", "1e3", false),
        ("0.1", "0.01", false),
        // Equal as Double, different as decimals.
        ("12345678901234567890.1", "12345678901234567890.2", false),
        ("0.1000000000000000000001", "0.1", false),
        ("9007199254740993", "9007199254740992", false),
    ])
    func testNumbers(left: String, right: String, equal: Bool) throws {
        #expect(JSONPatch.valuesEqual(.number(left), .number(right)) == equal)
        #expect(JSONPatch.valuesEqual(.number(right), .number(left)) == equal)
        let patch = #"[{"op": "test", "path": "/n", "value": \#(right)}]"#
        let document = #"{"n": \#(left)}"#
        if equal {
            #expect(try applying(patch, to: document) == (try parse(document)))
        } else {
            #expect(try failure(patch, on: document)?.reason == .testFailed)
        }
    }

    @Test func testEquality() throws {
        func equal(_ a: String, _ b: String) throws -> Bool {
            JSONPatch.valuesEqual(try parse(a), try parse(b))
        }
        // Object member order does not matter; array order does.
        #expect(try equal(#"{"a": 1, "b": [1, {"c": 2.0, "d": null}]}"#, #"{"b": [1.0, {"d": null, "c": 2}], "a": 1}"#))
        #expect(try !equal("[1, 2]", "[2, 1]"))
        #expect(try !equal(#"{"a": 1}"#, #"{"a": 1, "b": 2}"#))
        #expect(try !equal(#"{"a": 1, "b": 2}"#, #"{"a": 1}"#))
        #expect(try !equal(#"{"a": 1}"#, #"{"b": 1}"#))
        #expect(try !equal("[1]", "[1, 1]"))
        #expect(try equal("null", "null"))
        #expect(try !equal("null", "false"))
        #expect(try !equal("true", "1"))
        #expect(try !equal(#""1""#, "1"))
        #expect(try !equal("[]", "{}"))
        #expect(try equal(#""a\u00e9""#, #""aé""#))
        // Strings compare by code points: precomposed é is not e + combining acute,
        // although Swift's String == says they are.
        #expect(try !equal(#""\u00e9""#, #""e\u0301""#))
        #expect(try !equal(#"{"\u00e9": 1}"#, #"{"e\u0301": 1}"#))
    }

    @Test func pointerTokensMatchByCodePoints() throws {
        // Member "é" (precomposed) is not found by a pointer spelled e + combining acute.
        let error = try failure(#"[{"op": "remove", "path": "/e\u0301"}]"#, on: #"{"\u00e9": 1}"#)
        #expect(error?.reason == .targetNotFound)
        #expect(try applying(#"[{"op": "remove", "path": "/\u00e9"}]"#, to: #"{"\u00e9": 1}"#) == [:])
    }
}

@Suite("JSON Patch errors")
struct JSONPatchErrorTests {
    @Test func malformedPatchDocuments() throws {
        func check(
            _ patch: String, _ index: Int?, _ reason: JSONPatchError.Reason,
            sourceLocation: SourceLocation = #_sourceLocation
        ) throws {
            let error = try failure(patch, sourceLocation: sourceLocation)
            #expect(error?.operationIndex == index, sourceLocation: sourceLocation)
            #expect(error?.reason == reason, sourceLocation: sourceLocation)
            #expect(error?.reason.isMalformedPatch == true, sourceLocation: sourceLocation)
            #expect(error?.issue.code == .invalid, sourceLocation: sourceLocation)
        }
        try check(#"{"op": "add"}"#, nil, .patchNotAnArray)
        try check(#"[{"op": "test", "path": "", "value": {}}, 3]"#, 1, .operationNotAnObject)
        try check(#"[{"path": "/a"}]"#, 0, .missingMember("op"))
        try check(#"[{"op": 1, "path": "/a"}]"#, 0, .memberNotAString("op"))
        try check(#"[{"op": "add", "value": 1}]"#, 0, .missingMember("path"))
        try check(#"[{"op": "add", "path": 5, "value": 1}]"#, 0, .memberNotAString("path"))
        try check(#"[{"op": "add", "path": "/a"}]"#, 0, .missingMember("value"))
        try check(#"[{"op": "replace", "path": "/a"}]"#, 0, .missingMember("value"))
        try check(#"[{"op": "test", "path": "/a"}]"#, 0, .missingMember("value"))
        try check(#"[{"op": "move", "path": "/a"}]"#, 0, .missingMember("from"))
        try check(#"[{"op": "copy", "path": "/a", "from": null}]"#, 0, .memberNotAString("from"))
    }

    @Test func unknownOperation() throws {
        let patch = #"[{"op": "add", "path": "/a", "value": 1}, {"op": "frobnicate", "path": "/a"}]"#
        let error = try #require(try failure(patch))
        #expect(error == JSONPatchError(operationIndex: 1, reason: .unknownOperation))
        #expect(error.reason.isMalformedPatch)
        #expect(error.issue.code == .invalid)
        #expect(error.issue.severity == .error)
        #expect(!error.description.contains("frobnicate"))
        #expect(error.description.contains("operation 1"))
        // Operation names are case-sensitive.
        #expect(try failure(#"[{"op": "Add", "path": "/a", "value": 1}]"#)?.reason == .unknownOperation)
    }

    @Test func badPointer() throws {
        let error = try #require(try failure(#"[{"op": "remove", "path": "a/b"}]"#))
        #expect(error == JSONPatchError(
            operationIndex: 0, operation: "remove", member: "path",
            reason: .invalidPointer(JSONPointerError(kind: .missingLeadingSlash, offset: 0))))
        #expect(error.issue.code == .invalid)
        let escape = try failure(#"[{"op": "copy", "from": "/a~2", "path": "/b"}]"#)
        #expect(escape?.member == "from")
        #expect(escape?.reason == .invalidPointer(JSONPointerError(kind: .invalidEscape, offset: 2)))
    }

    @Test func missingTargets() throws {
        let document = #"{"a": [1, 2], "s": "text"}"#
        func reason(_ op: String) throws -> JSONPatchError.Reason? { try failure("[\(op)]", on: document)?.reason }
        #expect(try reason(#"{"op": "remove", "path": "/nope"}"#) == .targetNotFound)
        #expect(try reason(#"{"op": "remove", "path": "/nope/deeper"}"#) == .targetNotFound)
        #expect(try reason(#"{"op": "remove", "path": "/a/2"}"#) == .targetNotFound)
        #expect(try reason(#"{"op": "remove", "path": "/a/-"}"#) == .targetNotFound)
        #expect(try reason(#"{"op": "remove", "path": "/a/01"}"#) == .invalidArrayIndex)
        #expect(try reason(#"{"op": "remove", "path": "/s/0"}"#) == .targetNotFound)
        #expect(try reason(#"{"op": "replace", "path": "/nope", "value": 1}"#) == .targetNotFound)
        #expect(try reason(#"{"op": "replace", "path": "/a/5", "value": 1}"#) == .targetNotFound)
        #expect(try reason(#"{"op": "replace", "path": "/a/-", "value": 1}"#) == .targetNotFound)
        #expect(try reason(#"{"op": "test", "path": "/nope", "value": 1}"#) == .targetNotFound)
        #expect(try reason(#"{"op": "test", "path": "/a/-", "value": 1}"#) == .targetNotFound)
        #expect(try reason(#"{"op": "move", "from": "/nope", "path": "/b"}"#) == .targetNotFound)
        #expect(try reason(#"{"op": "add", "path": "/nope/x", "value": 1}"#) == .parentNotFound)
        #expect(try reason(#"{"op": "add", "path": "/a/7/x", "value": 1}"#) == .parentNotFound)

        let error = try #require(try failure(#"[{"op": "remove", "path": "/nope"}]"#, on: document))
        #expect(error == JSONPatchError(
            operationIndex: 0, operation: "remove", member: "path", pointer: "/nope", reason: .targetNotFound))
        #expect(!error.reason.isMalformedPatch)
        #expect(error.issue.code == .processing)
        #expect(error.description == #"JSON Patch operation 0 (remove), 'path' "/nope": the target location does not exist"#)
    }

    @Test func failingTestNeverEchoesValues() throws {
        let error = try #require(try failure(
            #"[{"op": "test", "path": "/name/0/family", "value": "Secret-Guess"}]"#,
            on: #"{"name": [{"family": "Secret-Actual"}]}"#))
        #expect(error.reason == .testFailed)
        #expect(error.pointer == "/name/0/family")
        #expect(error.issue.code == .processing)
        #expect(error.issue.diagnostics.contains("/name/0/family"))
        #expect(error.issue.diagnostics.contains("operation 0"))
        #expect(!error.issue.diagnostics.contains("Secret"))
    }

    @Test func longPointersAreShortenedInDiagnostics() throws {
        let long = "/" + String(repeating: "x", count: 1000)
        let error = try #require(try failure(#"[{"op": "remove", "path": "\#(long)"}]"#))
        #expect(error.pointer == long)
        #expect(error.description.count < 400)
    }

    @Test func patchIsAtomic() throws {
        let document = try parse(#"{"a": 1, "list": [1, 2, 3]}"#)
        let patch = try JSONPatch(json: parse(#"""
            [{"op": "add", "path": "/b", "value": 2},
             {"op": "remove", "path": "/list/0"},
             {"op": "replace", "path": "/a", "value": 5},
             {"op": "test", "path": "/a", "value": 1}]
            """#))
        var thrown: JSONPatchError?
        var result: JSON?
        do throws(JSONPatchError) {
            result = try patch.apply(to: document)
        } catch {
            thrown = error
        }
        #expect(result == nil)
        #expect(thrown == JSONPatchError(
            operationIndex: 3, operation: "test", member: "path", pointer: "/a", reason: .testFailed))
        // The input is untouched.
        #expect(JSONSerializer.string(document) == #"{"a":1,"list":[1,2,3]}"#)
        // The same patch without the failing test applies every operation.
        let passing = JSONPatch(Array(patch.operations.dropLast()))
        #expect(try JSONSerializer.string(passing.apply(to: document)) == #"{"a":5,"list":[2,3],"b":2}"#)
        #expect(JSONSerializer.string(document) == #"{"a":1,"list":[1,2,3]}"#)
    }

    @Test func laterOperationsSeeEarlierOnes() throws {
        let result = try applying(#"""
            [{"op": "add", "path": "/a", "value": {}},
             {"op": "add", "path": "/a/b", "value": [1]},
             {"op": "test", "path": "/a/b/0", "value": 1},
             {"op": "move", "from": "/a/b", "path": "/c"},
             {"op": "remove", "path": "/a"}]
            """#, to: "{}")
        #expect(result == ["c": [1]])
    }
}
