import FHIR
import Testing

/// Date search over HTTP (R4 3.1.1.4.6): a FHIR date is the range its precision spans
/// ("1980" is the whole year), and each prefix compares the resource's range T with the
/// searched range S. Part of the type tests, so `--filter FHIRSearchTypeTests` runs it too.
extension FHIRServerTests.FHIRSearchTypeTests {
    @Suite("Search by date")
    struct Dates {
        /// Birth dates at year, month and day precision against each prefix. The traps: eq
        /// needs S to contain all of T (so "1980" is not found by `1980-06`), while ge/gt/le/lt
        /// only need T to reach past S (so "1980" is found by `ge1980-06-01`); a resource with
        /// no date is found by none of them, `ne` included.
        @Test func precisionAndPrefixes() async throws {
            try await TestServer.run { fhir, _ in
                let ids = try await fhir.createLabelled([
                    ("1980", SearchMock.patient(["birthDate": "1980"])),
                    ("1980-06", SearchMock.patient(["birthDate": "1980-06"])),
                    ("1980-06-15", SearchMock.patient(["birthDate": "1980-06-15"])),
                    ("1981-01-01", SearchMock.patient(["birthDate": "1981-01-01"])),
                    ("1979-12-31", SearchMock.patient(["birthDate": "1979-12-31"])),
                    ("none", SearchMock.patient([:])),
                ])
                let cases: [(String, Set<String>)] = [
                    ("1980-06", ["1980-06", "1980-06-15"]),
                    ("eq1980", ["1980", "1980-06", "1980-06-15"]),
                    ("1980-06-15", ["1980-06-15"]),
                    ("ge1980-06-01", ["1980", "1980-06", "1980-06-15", "1981-01-01"]),
                    ("gt1980-06-15", ["1980", "1980-06", "1981-01-01"]),
                    ("lt1980-06-15", ["1980", "1980-06", "1979-12-31"]),
                    ("le1980-06", ["1980", "1980-06", "1980-06-15", "1979-12-31"]),
                    ("ne1980", ["1981-01-01", "1979-12-31"]),
                    ("sa1980-06-15", ["1981-01-01"]),
                    ("eb1980-06-15", ["1979-12-31"]),
                    ("sa1980", ["1981-01-01"]),
                    ("eb1980-06", ["1979-12-31"]),
                ]
                for (value, expected) in cases {
                    try await fhir.expectSearch("Patient?birthdate=\(value)", expected, ids)
                }
            }
        }

        /// `ap` widens S by 10% of its distance from now (the spec's recommendation). The test
        /// clock stands at 2026-01-01, so `ap2025-06-15` reaches about 20 days either side.
        @Test func approximately() async throws {
            try await TestServer.run { fhir, _ in
                let ids = try await fhir.createLabelled([
                    ("2025-06-01", SearchMock.patient(["birthDate": "2025-06-01"])),
                    ("2025-12-01", SearchMock.patient(["birthDate": "2025-12-01"])),
                    ("2020-01-01", SearchMock.patient(["birthDate": "2020-01-01"])),
                ])
                try await fhir.expectSearch("Patient?birthdate=ap2025-06-15", ["2025-06-01"], ids)
                try await fhir.expectSearch("Patient?birthdate=ap2025", ["2025-06-01", "2025-12-01"], ids)
            }
        }

        /// A dateTime with a zone is an instant: 2020-03-06T20:20:23-08:00 is
        /// 2020-03-07T04:20:23Z. A searched date without a zone is read in UTC (the server's
        /// zone, as `FHIRDateRange.parse` documents), so that instant is on 7 March, not 6 March.
        @Test func dateTimeWithAZone() async throws {
            try await TestServer.run { fhir, _ in
                func effective(_ dateTime: String) -> JSON {
                    SearchMock.observation(["text": "x"], ["effectiveDateTime": .string(dateTime)])
                }
                let ids = try await fhir.createLabelled([
                    ("pacific", effective("2020-03-06T20:20:23-08:00")),
                    ("noonUTC", effective("2020-03-06T12:00:00Z")),
                    ("dayOnly", effective("2020-03-07")),
                ])
                try await fhir.expectSearch("Observation?date=2020-03-07", ["pacific", "dayOnly"], ids)
                try await fhir.expectSearch("Observation?date=2020-03-06", ["noonUTC"], ids)
                try await fhir.expectSearch("Observation?date=2020-03-07T04:20:23Z", ["pacific"], ids)
                try await fhir.expectSearch("Observation?date=2020-03-06T20:20:23-08:00", ["pacific"], ids)
                try await fhir.expectSearch("Observation?date=2020-03-07T05:20:23+01:00", ["pacific"], ids)
                try await fhir.expectSearch("Observation?date=ge2020-03-07T04:20:00Z", ["pacific", "dayOnly"], ids)
                try await fhir.expectSearch("Observation?date=lt2020-03-07T04:20:00Z", ["noonUTC", "dayOnly"], ids)
            }
        }

        /// A Period is one range from its start to its end; a missing end runs on for ever and
        /// a missing start from the beginning of time.
        @Test func periods() async throws {
            try await TestServer.run { fhir, _ in
                func encounter(_ period: JSON) -> JSON {
                    SearchMock.resource("Encounter", [
                        "status": "finished", "period": period,
                        "class": ["system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"],
                    ])
                }
                let ids = try await fhir.createLabelled([
                    ("closed", encounter(["start": "2020-01-01T10:00:00Z", "end": "2020-01-03T12:00:00Z"])),
                    ("openEnd", encounter(["start": "2020-01-05"])),
                    ("openStart", encounter(["end": "2019-12-31"])),
                ])
                let cases: [(String, Set<String>)] = [
                    ("2020-01", ["closed"]),
                    // Inside the closed period, but eq needs the day to hold the whole period.
                    ("2020-01-02", []),
                    ("ge2020-01-02", ["closed", "openEnd"]),
                    ("le2020-01-02", ["closed", "openStart"]),
                    ("sa2019-12-31", ["closed", "openEnd"]),
                    ("eb2020-01-04", ["closed", "openStart"]),
                    ("gt2030-01-01", ["openEnd"]),
                    ("lt1900-01-01", ["openStart"]),
                ]
                for (value, expected) in cases {
                    try await fhir.expectSearch("Encounter?date=\(value)", expected, ids)
                }
            }
        }

        /// `_lastUpdated` is the current version's time: the test clock gives write n the time
        /// 2026-01-01T00:00:0n, and an update moves the resource to its new time.
        @Test func lastUpdated() async throws {
            try await TestServer.run { fhir, _ in
                var ids = try await fhir.createLabelled([
                    ("first", SearchMock.patient([:])), ("second", SearchMock.patient([:])), ("third", SearchMock.patient([:])),
                ])
                let first = try #require(ids["first"])
                let update = try await fhir.put("/fhir/Patient/\(first)", SearchMock.patient(["id": .string(first), "active": true]))
                #expect(update.status == .ok)
                ids["updated"] = ids.removeValue(forKey: "first")
                let second = try await fhir.get("/fhir/Patient/\(try #require(ids["second"]))").json()
                #expect(second["meta"]?["lastUpdated"]?.stringValue?.hasPrefix("2026-01-01T00:00:01") == true)

                let cases: [(String, Set<String>)] = [
                    ("_lastUpdated=2026-01-01T00:00:01Z", ["second"]),
                    ("_lastUpdated=gt2026-01-01T00:00:01Z", ["third", "updated"]),
                    ("_lastUpdated=ge2026-01-01T00:00:02Z", ["third", "updated"]),
                    ("_lastUpdated=lt2026-01-01T00:00:02Z", ["second"]),
                    ("_lastUpdated=le2026-01-01T00:00:02Z", ["second", "third"]),
                    ("_lastUpdated=ne2026-01-01T00:00:02Z", ["second", "updated"]),
                    ("_lastUpdated=2026-01-01", ["second", "third", "updated"]),
                    ("_lastUpdated=lt2026-01-01", []),
                    ("_lastUpdated=sa2026-01-01T00:00:02Z", ["updated"]),
                    ("_lastUpdated=ge2026-01-01T00:00:01Z&_lastUpdated=lt2026-01-01T00:00:03Z", ["second", "third"]),
                ]
                for (query, expected) in cases {
                    try await fhir.expectSearch("Patient?\(query)", expected, ids)
                }
            }
        }

        /// An impossible or malformed date is a 400 OperationOutcome that names the parameter.
        @Test(arguments: [
            ("birthdate", "2020-13-45"), ("birthdate", "2020-02-30"), ("birthdate", "ge1980-06-15T25:00:00Z"),
            ("birthdate", "zz2020"), ("birthdate", "2020-06-15T10:00:00+15:00"), ("birthdate", "20200615"),
            ("_lastUpdated", "2026-13"),
        ])
        func malformedDateIs400(parameter: String, value: String) async throws {
            try await TestServer.run { fhir, _ in
                let response = try await fhir.get("/fhir/" + SearchMock.encode("Patient?\(parameter)=\(value)"))
                try expectOutcome(response, .badRequest, code: "invalid", expression: parameter)
            }
        }
    }
}
