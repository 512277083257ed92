import Testing
@testable import FHIR

/// Milliseconds since 1970 for a UTC civil time.
private func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0,
                 _ second: Int = 0, _ millisecond: Int = 0) -> Int64 {
    Int64(CivilTime.daysFromCivil(year: year, month: month, day: day)) * 86_400_000
        + Int64(hour * 3_600_000 + minute * 60_000 + second * 1000 + millisecond)
}

private let day: Int64 = 86_400_000

@Suite("Search text normalisation")
struct SearchValueTextTests {
    @Test(arguments: [
        ("Zoë", "zoe"),
        ("ÅSE", "ase"),
        ("  Mary   Ann\t Smith \n", "mary ann smith"),
        ("O'BRIEN-Smith", "o'brien-smith"),
        ("e\u{301}cole", "ecole"),          // decomposed accent
        ("École", "ecole"),                 // composed accent
        ("Straße", "strasse"),
        ("Søren Łukasz", "soren lukasz"),
        ("ΟΔΥΣΣΕΥΣ", "οδυσσευσ"),          // Greek lowercase; final sigma folds
        ("Οδυσσεύς", "οδυσσευσ"),
        ("Άννα", "αννα"),
        ("ПЕТРОВ Ёлка", "петров елка"),
        ("한국어", "한국어"),                 // Hangul decomposes without marks: recomposed
        ("Mary\u{00A0}\u{2003}Ann", "mary ann"), // non-breaking and em spaces
        ("", ""),
        ("   ", ""),
    ])
    func normalises(_ input: String, _ expected: String) {
        #expect(SearchText.normalize(input) == expected)
    }

    @Test func emojiAreUnaffected() {
        #expect(SearchText.normalize("❤️ 👍🏽 👨‍👩‍👧") == "❤️ 👍🏽 👨‍👩‍👧")
        #expect(SearchText.normalize("Café ☕️") == "cafe ☕️")
    }

    @Test func asciiAndUnicodePathsAgree() {
        // The same ASCII text with one non-ASCII character added takes the Unicode path.
        #expect(SearchText.normalize("  JOHN  smith") + "e" == SearchText.normalize("  JOHN  smithé"))
    }
}

@Suite("FHIR date ranges")
struct SearchValueDateRangeTests {
    @Test func yearMonthDay() throws {
        #expect(FHIRDateRange.parse("2020") == FHIRDateRange(low: utc(2020, 1, 1), high: utc(2021, 1, 1) - 1))
        #expect(FHIRDateRange.parse("2021")!.high - FHIRDateRange.parse("2021")!.low + 1 == 365 * day)
        #expect(FHIRDateRange.parse("2020-02") == FHIRDateRange(low: utc(2020, 2, 1), high: utc(2020, 3, 1) - 1))
        #expect(FHIRDateRange.parse("2020-02")!.high - FHIRDateRange.parse("2020-02")!.low + 1 == 29 * day)
        #expect(FHIRDateRange.parse("2021-02")!.high - FHIRDateRange.parse("2021-02")!.low + 1 == 28 * day)
        #expect(FHIRDateRange.parse("2020-12") == FHIRDateRange(low: utc(2020, 12, 1), high: utc(2021, 1, 1) - 1))
        #expect(FHIRDateRange.parse("2020-02-03") == FHIRDateRange(low: utc(2020, 2, 3), high: utc(2020, 2, 4) - 1))
        #expect(FHIRDateRange.parse("1969-12-31") == FHIRDateRange(low: -day, high: -1))
    }

    @Test func leapDays() {
        #expect(FHIRDateRange.parse("2020-02-29") != nil)
        #expect(FHIRDateRange.parse("2000-02-29") != nil)
        #expect(FHIRDateRange.parse("2021-02-29") == nil)
        #expect(FHIRDateRange.parse("1900-02-29") == nil)
        #expect(FHIRDateRange.parse("2020-02-30") == nil)
        #expect(FHIRDateRange.parse("2020-04-31") == nil)
    }

    @Test func timesAndZones() {
        // Second precision, zone applied: 10:00 at +01:00 is 09:00 UTC.
        #expect(FHIRDateRange.parse("2020-02-03T10:00:00+01:00")
            == FHIRDateRange(low: utc(2020, 2, 3, 9), high: utc(2020, 2, 3, 9, 0, 0, 999)))
        // Crossing midnight backwards and forwards, and a year boundary.
        #expect(FHIRDateRange.parse("2020-01-01T01:00:00+02:00")!.low == utc(2019, 12, 31, 23))
        #expect(FHIRDateRange.parse("2020-12-31T23:30:00-05:00")!.low == utc(2021, 1, 1, 4, 30))
        #expect(FHIRDateRange.parse("2020-06-01T00:00:00Z")!.low == utc(2020, 6, 1))
        #expect(FHIRDateRange.parse("2020-06-01T00:00:00-00:00")!.low == utc(2020, 6, 1))
        #expect(FHIRDateRange.parse("2020-06-01T12:00:00+14:00")!.low == utc(2020, 5, 31, 22))
        #expect(FHIRDateRange.parse("2020-06-01T12:00:00-14:00")!.low == utc(2020, 6, 2, 2))
        // No zone: UTC.
        #expect(FHIRDateRange.parse("2020-06-01T12:34:56")
            == FHIRDateRange(low: utc(2020, 6, 1, 12, 34, 56), high: utc(2020, 6, 1, 12, 34, 56, 999)))
    }

    @Test func minuteAndHourPrecision() {
        #expect(FHIRDateRange.parse("2020-02-03T10:00")
            == FHIRDateRange(low: utc(2020, 2, 3, 10), high: utc(2020, 2, 3, 10, 1) - 1))
        #expect(FHIRDateRange.parse("2020-02-03T10:00+01:00")
            == FHIRDateRange(low: utc(2020, 2, 3, 9), high: utc(2020, 2, 3, 9, 1) - 1))
        #expect(FHIRDateRange.parse("2020-02-03T10")
            == FHIRDateRange(low: utc(2020, 2, 3, 10), high: utc(2020, 2, 3, 11) - 1))
        #expect(FHIRDateRange.parse("2020-02-03T10Z")
            == FHIRDateRange(low: utc(2020, 2, 3, 10), high: utc(2020, 2, 3, 11) - 1))
    }

    @Test func fractionalSeconds() {
        let one = FHIRDateRange.parse("2020-02-03T10:00:00.123Z")
        #expect(one == FHIRDateRange(low: utc(2020, 2, 3, 10, 0, 0, 123), high: utc(2020, 2, 3, 10, 0, 0, 123)))
        #expect(FHIRDateRange.parse("2020-02-03T10:00:00.5Z")!.low == utc(2020, 2, 3, 10, 0, 0, 500))
        // More than three digits are truncated, not rounded.
        #expect(FHIRDateRange.parse("2020-02-03T10:00:00.123999Z") == one)
        #expect(FHIRDateRange.parse("2020-02-03T10:00:00.123+01:00")!.low == utc(2020, 2, 3, 9, 0, 0, 123))
    }

    @Test(arguments: [
        "", "20", "202", "20200", "0000", "2020-13", "2020-00", "2020-13-45", "2020-1-01", "2020-01-1",
        "2020-01-01T", "2020-01-01T24:00", "2020-01-01T10:60", "2020-01-01T10:00:60", "2020-01-01T1",
        "2020-01-01T10:00:00.", "2020-01-01T10:00:00.Z", "2020-01-01+01:00", "2020Z", "2020-01Z",
        "2020-01-01T10:00+14:01", "2020-01-01T10:00-15:00", "2020-01-01T10:00+01", "2020-01-01T10:00+0100",
        "2020-01-01T10:00+01:60", "2020-01-01 10:00", "2020-01-01t10:00", "2020-01-01T10:00z",
        "2020-01-01T10:00:00Z ", " 2020", "２０２０", "2020/01/01",
    ])
    func rejects(_ text: String) {
        #expect(FHIRDateRange.parse(text) == nil)
    }
}

@Suite("Search prefixes and date values")
struct SearchValueDateTests {
    @Test(arguments: SearchPrefix.allCases)
    func everyPrefix(_ prefix: SearchPrefix) throws {
        let value = try DateSearchValue.parse("\(prefix.rawValue)2020-01")
        #expect(value.prefix == prefix)
        #expect(value.range == FHIRDateRange.parse("2020-01"))
        let number = try NumberSearchValue.parse("\(prefix.rawValue)5")
        #expect(number.prefix == prefix && number.value == 5)
    }

    @Test func defaultIsEq() throws {
        #expect(try DateSearchValue.parse("2020").prefix == .eq)
        #expect(try NumberSearchValue.parse("-3").prefix == .eq)
    }

    @Test func unknownPrefix() {
        #expect(throws: SearchValueError.self) { try DateSearchValue.parse("zz2020") }
        do {
            _ = try DateSearchValue.parse("zz2020")
        } catch {
            #expect(error.message.contains("unknown prefix"))
        }
        #expect(throws: SearchValueError.self) { try NumberSearchValue.parse("EQ5") }
        #expect(throws: SearchValueError.self) { try NumberSearchValue.parse("e5") }
        #expect(throws: SearchValueError.self) { try NumberSearchValue.parse("g") }
    }

    @Test func invalidDateMessage() {
        do {
            _ = try DateSearchValue.parse("2020-13-45")
            Issue.record("accepted")
        } catch {
            #expect(error.message.contains("invalid date '2020-13-45'"))
            #expect(error.message.contains("YYYY-MM-DD"))
        }
        #expect(throws: SearchValueError.self) { try DateSearchValue.parse("ge") }
        #expect(throws: SearchValueError.self) { try DateSearchValue.parse("") }
    }

    @Test func messagesQuoteAtMost40Characters() {
        let long = "2020-" + String(repeating: "9", count: 500)
        do {
            _ = try DateSearchValue.parse(long)
            Issue.record("accepted")
        } catch {
            #expect(!error.message.contains(String(repeating: "9", count: 41)))
            #expect(error.message.contains("…"))
        }
    }

    @Test func matchingFollowsTheRangeRules() throws {
        let now = utc(2024, 1, 1)
        let january = FHIRDateRange.parse("2020-01")!
        let midJanuary = FHIRDateRange.parse("2020-01-15")!
        let year2020 = FHIRDateRange.parse("2020")!
        let december2019 = FHIRDateRange.parse("2019-12-31")!
        let february = FHIRDateRange.parse("2020-02-01")!
        func matches(_ prefix: SearchPrefix, _ target: FHIRDateRange) -> Bool {
            DateSearchValue(prefix: prefix, range: january).matches(target, now: now)
        }
        #expect(matches(.eq, midJanuary) && matches(.eq, january) && !matches(.eq, year2020))
        #expect(!matches(.ne, midJanuary) && matches(.ne, year2020))
        #expect(matches(.gt, february) && matches(.gt, year2020) && !matches(.gt, midJanuary))
        let acrossNewYear = FHIRDateRange(low: december2019.low, high: february.high)
        #expect(matches(.lt, december2019) && matches(.lt, acrossNewYear) && !matches(.lt, midJanuary))
        #expect(!matches(.lt, year2020)) // starts with January, not before it
        #expect(matches(.ge, midJanuary) && matches(.ge, february) && !matches(.ge, december2019))
        #expect(matches(.le, midJanuary) && matches(.le, december2019) && !matches(.le, february))
        #expect(matches(.sa, february) && !matches(.sa, year2020))
        #expect(matches(.eb, december2019) && !matches(.eb, year2020))
        // ap: four years from now, 10% is about 146 days, so late 2019 is near January 2020.
        #expect(matches(.ap, FHIRDateRange.parse("2019-10-01")!))
        #expect(!matches(.ap, FHIRDateRange.parse("2019-01-01")!))
        #expect(DateSearchValue(prefix: .ap, range: january).approximateMargin(now: utc(2020, 1, 10)) == 0)
    }
}

@Suite("Number search values")
struct SearchValueNumberTests {
    @Test(arguments: [
        ("100", 100.0, 99.5, 100.5),
        ("100.00", 100.0, 99.995, 100.005),
        ("1e2", 100.0, 50.0, 150.0),
        ("1.0e2", 100.0, 95.0, 105.0),
        ("1.5e-3", 0.0015, 0.00145, 0.00155),
        ("0", 0.0, -0.5, 0.5),
        ("-5.5", -5.5, -5.55, -5.45),
        ("0.1", 0.1, 0.05, 0.15),
        ("999", 999.0, 998.5, 999.5),
        ("12345678901234567890", 12345678901234567890.0, 12345678901234567889.5, 12345678901234567890.5),
    ])
    func implicitRange(_ text: String, _ value: Double, _ low: Double, _ high: Double) throws {
        let parsed = try NumberSearchValue.parse(text)
        #expect(parsed.value == value)
        #expect(parsed.low == low)
        #expect(parsed.high == high)
        #expect(parsed.text == text)
    }

    @Test func prefixKeepsTheText() throws {
        let parsed = try NumberSearchValue.parse("ge100.00")
        #expect(parsed.prefix == .ge && parsed.text == "100.00")
    }

    @Test(arguments: ["", "NaN", "nan", "inf", "Infinity", "-inf", "0x10", "1.", ".5", "1e", "1e+", "1e400",
                      "1e99999", "+5", "1,5", "5 ", " 5", "--5", "5-", "1.2.3", "١٢", "gt", "ge-"])
    func rejects(_ text: String) {
        #expect(throws: SearchValueError.self) { try NumberSearchValue.parse(text) }
    }

    @Test func matching() throws {
        let hundred = try NumberSearchValue.parse("100")
        #expect(hundred.matches(99.5) && hundred.matches(100.4) && !hundred.matches(100.5) && !hundred.matches(99.4))
        #expect(try NumberSearchValue.parse("ne100").matches(101))
        #expect(!(try NumberSearchValue.parse("ne100").matches(100.2)))
        #expect(try NumberSearchValue.parse("gt100").matches(100.1))
        #expect(!(try NumberSearchValue.parse("gt100").matches(100)))
        #expect(try NumberSearchValue.parse("ge100").matches(100))
        #expect(try NumberSearchValue.parse("lt100").matches(99.9))
        #expect(try NumberSearchValue.parse("le100").matches(100))
        #expect(try NumberSearchValue.parse("sa100").matches(101))
        #expect(try NumberSearchValue.parse("eb100").matches(99))
        #expect(try NumberSearchValue.parse("ap100").matches(109))
        #expect(!(try NumberSearchValue.parse("ap100").matches(111)))
    }
}

@Suite("Quantity search values")
struct SearchValueQuantityTests {
    @Test func forms() throws {
        let full = try QuantitySearchValue.parse("5.4|http://unitsofmeasure.org|mg")
        #expect(full.number.value == 5.4 && full.number.prefix == .eq)
        #expect(full.system == "http://unitsofmeasure.org" && full.code == "mg")

        let anySystem = try QuantitySearchValue.parse("5.4||mg")
        #expect(anySystem.system == nil && anySystem.code == "mg")

        let bare = try QuantitySearchValue.parse("5.4")
        #expect(bare.system == nil && bare.code == nil && bare.number.low == 5.35)

        let prefixed = try QuantitySearchValue.parse("le5.4|http://unitsofmeasure.org|mg")
        #expect(prefixed.number.prefix == .le)

        let escaped = try QuantitySearchValue.parse("5.4||m\\|g")
        #expect(escaped.code == "m|g")
    }

    @Test(arguments: ["5.4|mg", "abc||mg", "5.4|a|b|c", "", "||mg", "zz5||mg"])
    func rejects(_ text: String) {
        #expect(throws: SearchValueError.self) { try QuantitySearchValue.parse(text) }
    }
}

@Suite("Token search values and escaping")
struct SearchValueTokenTests {
    @Test func forms() throws {
        #expect(try TokenSearchValue.parse("http://loinc.org|1234-5") == TokenSearchValue(system: "http://loinc.org", code: "1234-5"))
        #expect(try TokenSearchValue.parse("|1234-5") == TokenSearchValue(system: "", code: "1234-5"))
        #expect(try TokenSearchValue.parse("http://loinc.org|") == TokenSearchValue(system: "http://loinc.org", code: nil))
        #expect(try TokenSearchValue.parse("1234-5") == TokenSearchValue(system: nil, code: "1234-5"))
    }

    @Test func escapes() throws {
        #expect(try TokenSearchValue.parse("http://a|b\\|c") == TokenSearchValue(system: "http://a", code: "b|c"))
        #expect(try TokenSearchValue.parse("a\\,b") == TokenSearchValue(system: nil, code: "a,b"))
        #expect(try TokenSearchValue.parse("a\\$b") == TokenSearchValue(system: nil, code: "a$b"))
        #expect(try TokenSearchValue.parse("a\\\\b") == TokenSearchValue(system: nil, code: "a\\b"))
        #expect(try TokenSearchValue.parse("\\|x") == TokenSearchValue(system: nil, code: "|x"))
        #expect(try TokenSearchValue.parse("s\\|t|c") == TokenSearchValue(system: "s|t", code: "c"))
        // Only the first unescaped bar separates.
        #expect(try TokenSearchValue.parse("s|a|b") == TokenSearchValue(system: "s", code: "a|b"))
    }

    @Test(arguments: ["", "|"])
    func rejects(_ text: String) {
        #expect(throws: SearchValueError.self) { try TokenSearchValue.parse(text) }
    }

    @Test func splitting() {
        #expect(SearchEscaping.split("a\\,b,c", on: ",") == ["a\\,b", "c"])
        #expect(SearchEscaping.split("a,,b", on: ",") == ["a", "", "b"])
        #expect(SearchEscaping.split("", on: ",") == [""])
        #expect(SearchEscaping.split("a,", on: ",") == ["a", ""])
        // An escaped backslash does not escape the comma after it.
        #expect(SearchEscaping.split("a\\\\,b", on: ",") == ["a\\\\", "b"])
        #expect(SearchEscaping.split("x$y\\$z", on: "$") == ["x", "y\\$z"])
        #expect(SearchEscaping.split("a\\,b,c", on: ",").map(SearchEscaping.unescape) == ["a,b", "c"])
        #expect(SearchEscaping.splitFirst("a|b|c", on: "|")! == ("a", "b|c"))
        #expect(SearchEscaping.splitFirst("a\\|b", on: "|") == nil)
    }

    @Test func unescaping() {
        #expect(SearchEscaping.unescape("a\\,b\\|c\\$d\\\\e") == "a,b|c$d\\e")
        #expect(SearchEscaping.unescape("plain") == "plain")
        #expect(SearchEscaping.unescape("trailing\\") == "trailing\\")
    }
}

@Suite("Reference search values")
struct SearchValueReferenceTests {
    let base = "https://joinedup.example/fhir"

    @Test func localForms() throws {
        #expect(try ReferenceSearchValue.parse("Patient/123")
            == ReferenceSearchValue(type: "Patient", id: "123", url: nil, version: nil))
        #expect(try ReferenceSearchValue.parse("123")
            == ReferenceSearchValue(type: nil, id: "123", url: nil, version: nil))
        #expect(try ReferenceSearchValue.parse("123", typeModifier: "Patient")
            == ReferenceSearchValue(type: "Patient", id: "123", url: nil, version: nil))
        #expect(try ReferenceSearchValue.parse("Patient/123", typeModifier: "Patient")
            == ReferenceSearchValue(type: "Patient", id: "123", url: nil, version: nil))
        #expect(try ReferenceSearchValue.parse("Patient/123/_history/2")
            == ReferenceSearchValue(type: "Patient", id: "123", url: nil, version: "2"))
    }

    @Test func absoluteForms() throws {
        #expect(try ReferenceSearchValue.parse("\(base)/Patient/123", baseURL: base)
            == ReferenceSearchValue(type: "Patient", id: "123", url: nil, version: nil))
        #expect(try ReferenceSearchValue.parse("\(base)/Patient/123/_history/4", baseURL: base + "/")
            == ReferenceSearchValue(type: "Patient", id: "123", url: nil, version: "4"))
        #expect(try ReferenceSearchValue.parse("http://other.example/fhir/Patient/123", baseURL: base)
            == ReferenceSearchValue(type: nil, id: nil, url: "http://other.example/fhir/Patient/123", version: nil))
        #expect(try ReferenceSearchValue.parse("\(base)/Patient/123")
            == ReferenceSearchValue(type: nil, id: nil, url: "\(base)/Patient/123", version: nil))
        #expect(try ReferenceSearchValue.parse("http://x/Questionnaire/q|1.0")
            == ReferenceSearchValue(type: nil, id: nil, url: "http://x/Questionnaire/q", version: "1.0"))
        #expect(try ReferenceSearchValue.parse("urn:uuid:53fefa32-fcbb-4ff8-8a92-55ee120877b7")
            == ReferenceSearchValue(type: nil, id: nil, url: "urn:uuid:53fefa32-fcbb-4ff8-8a92-55ee120877b7", version: nil))
        // A URL under the base that is not Type/id stays a URL.
        #expect(try ReferenceSearchValue.parse("\(base)/metadata", baseURL: base).url == "\(base)/metadata")
    }

    @Test(arguments: [
        "", "Patient/", "/123", "Patient/12 3", "Patient/" + String(repeating: "a", count: 65),
        "Patinet/123", "patient/123", "Patient/123/_history", "Patient/123/history/2", "Patient/123/_history/",
        "a/b/c", "Patient/123|2", "http://x/q|", "http://x/q|1|2", "12_3",
    ])
    func rejects(_ text: String) {
        #expect(throws: SearchValueError.self) { try ReferenceSearchValue.parse(text) }
    }

    @Test func modifierMustAgree() {
        #expect(throws: SearchValueError.self) { try ReferenceSearchValue.parse("Group/1", typeModifier: "Patient") }
        #expect(throws: SearchValueError.self) { try ReferenceSearchValue.parse("1", typeModifier: "Nope") }
    }
}
