import FHIR
import HTTPTypes
import Testing

extension FHIRServerTests {
    /// How answers are shaped and paged: `_sort`, `_count` and next links that survive writes,
    /// `_total`, `_summary`, `_elements`, POST `_search`, system and compartment search,
    /// `$everything`, and lenient or strict handling of unknown parameters.
    @Suite("Search: sorting, paging and result shape")
    struct SearchResults {
        /// Patients with known families and birth dates, in creation order.
        func patients(_ fhir: FHIRClient, _ rows: [(String, String)]) async throws -> [String] {
            var ids: [String] = []
            for (family, birthDate) in rows {
                ids.append(try await fhir.create(["resourceType": "Patient", "name": [["family": .string(family)]],
                                                  "birthDate": .string(birthDate)]))
            }
            return ids
        }

        /// Follows next links from `uri`, returning every page's match ids.
        func allPages(_ fhir: FHIRClient, _ uri: String) async throws -> [[String]] {
            var pages: [[String]] = []
            var next: String? = uri
            while let current = next, pages.count < 50 {
                let bundle = try await fhir.searchBundle(current)
                pages.append(bundle.entryIDs())
                next = bundle.link("next").map(JSON.pathAndQuery)
            }
            return pages
        }

        @Test func sortOnSeveralKeysAndDescending() async throws {
            try await TestServer.run { fhir, _ in
                let ids = try await patients(fhir, [("Cole", "1990-01-01"), ("Abbot", "1980-05-05"), ("Cole", "1970-03-03"),
                                                    ("Byrne", "2000-01-01")])
                let byFamilyThenBirth = try await fhir.searchBundle("/fhir/Patient?_sort=family,birthdate")
                #expect(byFamilyThenBirth.entryIDs() == [ids[1], ids[3], ids[2], ids[0]])
                let newestFirst = try await fhir.searchBundle("/fhir/Patient?_sort=-birthdate")
                #expect(newestFirst.entryIDs() == [ids[3], ids[0], ids[1], ids[2]])
                let familyDescBirthAsc = try await fhir.searchBundle("/fhir/Patient?_sort=-family,birthdate")
                #expect(familyDescBirthAsc.entryIDs() == [ids[2], ids[0], ids[3], ids[1]])
                let lastUpdated = try await fhir.searchBundle("/fhir/Patient?_sort=-_lastUpdated")
                #expect(lastUpdated.entryIDs() == ids.reversed())
                // A resource without the sort value sorts first ascending and last descending.
                let unnamed = try await fhir.create(["resourceType": "Patient", "birthDate": "1995-01-01"])
                #expect(try await fhir.searchBundle("/fhir/Patient?_sort=family").entryIDs().first == unnamed)
                #expect(try await fhir.searchBundle("/fhir/Patient?_sort=-family").entryIDs().last == unnamed)
            }
        }

        @Test func pagesCoverEveryMatchOnceEvenWithWritesBetweenPages() async throws {
            try await TestServer.run { fhir, _ in
                let rows = (0..<7).map { ("Family\($0 % 3)", "19\(70 + $0)-01-01") }
                let ids = try await patients(fhir, rows)
                let first = try await fhir.searchBundle("/fhir/Patient?_sort=family&_count=3")
                #expect(first.entryIDs().count == 3)
                let next = try #require(first.link("next"))
                #expect(next.contains("_sort=family") && next.contains("_count=3") && next.contains("_cursor="))
                // Writes between pages: a new match sorting before the position, and an update
                // of one already seen. Neither may make the next pages repeat or skip a match.
                _ = try await patients(fhir, [("Aardvark", "1960-01-01")])
                let seen = first.entryIDs()[0]
                #expect(try await fhir.put("/fhir/Patient/\(seen)", ["resourceType": "Patient", "id": .string(seen),
                                                                     "name": [["family": "Family0"]], "birthDate": "1970-01-01"]).status == .ok)
                var pages = [first.entryIDs()]
                pages += try await allPages(fhir, JSON.pathAndQuery(next))
                let all = pages.flatMap { $0 }
                #expect(all.count == Set(all).count, "no match twice")
                #expect(Set(all) == Set(ids), "every original match once; the new one sorts before the position")
                #expect(pages.dropLast().allSatisfy { $0.count == 3 })
            }
        }

        @Test func countTotalAndSummaryCount() async throws {
            try await TestServer.run { fhir, _ in
                _ = try await patients(fhir, (0..<5).map { ("Same", "1990-01-0\($0 + 1)") })
                let page = try await fhir.searchBundle("/fhir/Patient?family=same&_count=2")
                #expect(page.entryIDs().count == 2)
                #expect(page["total"] == 5, "the default (estimate) counts small result sets exactly")
                let accurate = try await fhir.searchBundle("/fhir/Patient?family=same&_count=2&_total=accurate")
                #expect(accurate["total"] == 5)
                let none = try await fhir.searchBundle("/fhir/Patient?family=same&_count=2&_total=none")
                #expect(none["total"] == nil)
                let count = try await fhir.searchBundle("/fhir/Patient?family=same&_summary=count")
                #expect(count["total"] == 5)
                #expect(count.entries.isEmpty)
                let zero = try await fhir.searchBundle("/fhir/Patient?family=same&_count=0")
                #expect(zero.entries.isEmpty)
                #expect(zero["total"] == 5)
                let empty = try await fhir.searchBundle("/fhir/Patient?family=nobody")
                #expect(empty["total"] == 0)
                #expect(empty.entries.isEmpty)
                #expect(empty.link("next") == nil)
            }
        }

        /// A search one index set answers alone is paged and counted from the index: a person
        /// with two matching names is still one match, and deleted and updated-away people
        /// are none, on every page and in every kind of total.
        @Test func pagesAndTotalsCountEachLiveMatchOnce() async throws {
            try await TestServer.run { fhir, _ in
                let ids = try await patients(fhir, (0..<6).map { ("Rowe", "1990-02-0\($0 + 1)") })
                let twice = try await fhir.create(["resourceType": "Patient", "name": [["family": "Rowe"], ["family": "Rowell"]]])
                #expect(try await fhir.delete("/fhir/Patient/\(ids[1])").status == .noContent)
                #expect(try await fhir.put("/fhir/Patient/\(ids[4])", ["resourceType": "Patient", "id": .string(ids[4]),
                                                                       "name": [["family": "Stone"]]]).status == .ok)
                let live = [ids[0], ids[2], ids[3], ids[5], twice]
                #expect(try await allPages(fhir, "/fhir/Patient?name=row&_count=2") == [[ids[0], ids[2]], [ids[3], ids[5]], [twice]])
                for total in ["", "&_total=accurate", "&_total=estimate"] {
                    #expect(try await fhir.searchBundle("/fhir/Patient?name=row&_count=2\(total)")["total"] == 5)
                }
                #expect(try await fhir.searchBundle("/fhir/Patient?name=row&_summary=count")["total"] == 5)
                #expect(try await fhir.searchBundle("/fhir/Patient?name=row").entryIDs() == live)
                // A second, per-candidate clause keeps the index-only path honest too.
                let narrowed = try await fhir.searchBundle("/fhir/Patient?name=row&birthdate=ge1990-02-04&_total=accurate")
                #expect(narrowed.entryIDs() == [ids[3], ids[5]])
                #expect(narrowed["total"] == 2)
                // A full page is counted in its own statement's pass over the index set, with
                // the per-candidate clause applied to the count too; a later page counts every
                // match, not only those after it.
                for total in ["", "&_total=accurate"] {
                    let first = try await fhir.searchBundle("/fhir/Patient?name=row&birthdate=ge1990-02-04&_count=1\(total)")
                    #expect(first.entryIDs() == [ids[3]])
                    #expect(first["total"] == 2)
                    let second = try await fhir.searchBundle(try #require(first.link("next").map(JSON.pathAndQuery)))
                    #expect(second.entryIDs() == [ids[5]])
                    #expect(second["total"] == 2)
                }
                let none = try await fhir.searchBundle("/fhir/Patient?name=row&_count=2&_total=none")
                #expect(none["total"] == nil && none.entryIDs() == [ids[0], ids[2]])
            }
        }

        @Test func summaryAndElementsSubsetAndSaySo() async throws {
            try await TestServer.run { fhir, _ in
                let id = try await fhir.create([
                    "resourceType": "Patient", "text": ["status": "generated", "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\">Ann</div>"],
                    "name": [["family": "Ashworth"]], "birthDate": "1980-01-01", "gender": "female",
                    "contact": [["name": ["family": "Ashworth"]]],
                ])
                let subsetted = "SUBSETTED"
                func resource(_ query: String) async throws -> JSON {
                    let bundle = try await fhir.searchBundle("/fhir/Patient?_id=\(id)&\(query)")
                    return try #require(bundle.entries.first?["resource"])
                }
                let summary = try await resource("_summary=true")
                #expect(summary["name"] != nil && summary["birthDate"] != nil)
                #expect(summary["contact"] == nil && summary["text"] == nil, "contact and text are not summary elements")
                #expect(summary["meta"]?["tag"]?.elements.contains { $0["code"]?.stringValue == subsetted } == true)
                let text = try await resource("_summary=text")
                #expect(text["text"] != nil && text["name"] == nil)
                let data = try await resource("_summary=data")
                #expect(data["text"] == nil && data["contact"] != nil)
                let elements = try await resource("_elements=birthDate")
                #expect(elements["birthDate"] == "1980-01-01")
                #expect(elements["name"] == nil && elements["gender"] == nil)
                #expect(elements["id"] == .string(id))
                let full = try await resource("_summary=false")
                #expect(full["contact"] != nil)
                #expect(full["meta"]?["tag"] == nil)
            }
        }

        @Test func postSearchAndSystemSearch() async throws {
            try await TestServer.run { fhir, _ in
                let ids = try await patients(fhir, [("Ashworth", "1980-01-01"), ("Baines", "1990-01-01")])
                let observation = try await fhir.create(Mock.observation(subject: "Patient/\(ids[0])"))
                let form = Array("family=ash&birthdate=ge1970".utf8)
                let posted = try await fhir.send(.post, "/fhir/Patient/_search", body: form,
                                                 contentType: "application/x-www-form-urlencoded")
                #expect(posted.status == .ok)
                #expect(try posted.json().entryIDs() == [ids[0]])
                // Query and body parameters are ANDed.
                let mixed = try await fhir.send(.post, "/fhir/Patient/_search?birthdate=lt1985", body: Array("family=baines".utf8),
                                                contentType: "application/x-www-form-urlencoded")
                #expect(try mixed.json().entryIDs().isEmpty)
                let wrongType = try await fhir.send(.post, "/fhir/Patient/_search", body: Array("{}".utf8),
                                                    contentType: "application/fhir+json")
                try expectOutcome(wrongType, .unsupportedMediaType)

                let system = try await fhir.searchBundle("/fhir?_type=Patient,Observation&_count=10")
                #expect(Set(system.entryIDs()) == Set(ids + [observation]))
                let lastUpdated = try await fhir.searchBundle("/fhir?_lastUpdated=ge2026-01-01T00:00:01Z&_type=Patient,Observation")
                #expect(Set(lastUpdated.entryIDs()) == [ids[1], observation])
                let systemPost = try await fhir.send(.post, "/fhir/_search", body: Array("_id=\(ids[1])".utf8),
                                                     contentType: "application/x-www-form-urlencoded")
                #expect(try systemPost.json().entryIDs() == [ids[1]])
                try expectOutcome(try await fhir.get("/fhir?_type=Patient,Observation&family=x"), .badRequest)
                // Without _type: every type, with the parameters all types share.
                let everyType = try await fhir.searchBundle("/fhir?_id=\(observation),\(ids[0])")
                #expect(Set(everyType.entryIDs()) == [observation, ids[0]])
                let strict = try await fhir.get("/fhir?family=x", headers: [.prefer: "handling=strict"])
                try expectOutcome(strict, .badRequest)
            }
        }

        @Test func compartmentSearch() async throws {
            try await TestServer.run { fhir, _ in
                let ids = try await patients(fhir, [("Ashworth", "1980-01-01"), ("Baines", "1990-01-01")])
                let mine = try await fhir.create(Mock.observation(subject: "Patient/\(ids[0])", text: "Pulse"))
                _ = try await fhir.create(Mock.observation(subject: "Patient/\(ids[1])", text: "Pulse"))
                let other = try await fhir.create(Mock.observation(subject: "Patient/\(ids[0])", text: "Weight"))
                let all = try await fhir.searchBundle("/fhir/Patient/\(ids[0])/Observation")
                #expect(Set(all.entryIDs()) == [mine, other])
                let filtered = try await fhir.searchBundle("/fhir/Patient/\(ids[0])/Observation?code:text=pul")
                #expect(filtered.entryIDs() == [mine])
                let nobody = try await fhir.searchBundle("/fhir/Patient/no-such-patient/Observation")
                #expect(nobody.entries.isEmpty)
                try expectOutcome(try await fhir.get("/fhir/Patient/\(ids[0])/Organization"), .badRequest)
                try expectOutcome(try await fhir.get("/fhir/Patient/\(ids[0])/Nonsense"), .notFound)
            }
        }

        @Test func everythingPagesThePatientsWholeRecord() async throws {
            try await TestServer.run { fhir, _ in
                let org = try await fhir.create(["resourceType": "Organization", "name": "Northgate"])
                let ann = try await fhir.create([
                    "resourceType": "Patient", "identifier": [["system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"]],
                    "managingOrganization": ["reference": .string("Organization/\(org)")],
                ])
                let bob = try await fhir.create(["resourceType": "Patient"])
                var annRecord: [String] = [ann]
                for index in 0..<5 {
                    annRecord.append(try await fhir.create(Mock.observation(subject: "Patient/\(ann)", text: "Obs \(index)")))
                }
                annRecord.append(try await fhir.create(["resourceType": "Condition", "subject": ["reference": .string("Patient/\(ann)")]]))
                _ = try await fhir.create(Mock.observation(subject: "Patient/\(bob)"))

                let pages = try await allPages(fhir, "/fhir/Patient/\(ann)/$everything?_count=3")
                #expect(pages.map(\.count) == [3, 3, 1])
                #expect(pages.flatMap { $0 } == annRecord, "the patient first, then the record in the order written")
                let first = try await fhir.searchBundle("/fhir/Patient/\(ann)/$everything?_count=3")
                #expect(first.entryKeys("include") == ["Organization/\(org)"], "what the record refers to comes along")

                // _since: only what changed since the patient's fourth resource was written.
                let since = "2026-01-01T00:00:06Z"
                let recent = try await fhir.searchBundle("/fhir/Patient/\(ann)/$everything?_since=\(since)")
                #expect(recent.entryIDs() == Array(annRecord.suffix(3)))
                let onlyConditions = try await fhir.searchBundle("/fhir/Patient/\(ann)/$everything?_type=Condition")
                #expect(onlyConditions.entryIDs() == [annRecord.last!])

                let byNHS = try await fhir.searchBundle(
                    "/fhir/Patient/$everything?identifier=https://fhir.nhs.uk/Id/nhs-number%7C9434765919")
                #expect(byNHS.entryIDs() == annRecord)
                try expectOutcome(try await fhir.get("/fhir/Patient/$everything?identifier=https://fhir.nhs.uk/Id/nhs-number%7C1"),
                                  .notFound)
                try expectOutcome(try await fhir.get("/fhir/Patient/$everything"), .badRequest)
                try expectOutcome(try await fhir.get("/fhir/Patient/no-such/$everything"), .notFound)
                // A deleted patient's record is not served, though resources still refer to them.
                #expect(try await fhir.delete("/fhir/Patient/\(bob)").status == .noContent)
                try expectOutcome(try await fhir.get("/fhir/Patient/\(bob)/$everything"), .notFound)
                try expectOutcome(try await fhir.get("/fhir/Patient/\(bob)/$everything?_type=Observation"), .notFound)
                try expectOutcome(try await fhir.get("/fhir/Patient/\(ann)/$everything?start=2020"), .badRequest)
            }
        }

        @Test func lenientIgnoresAndSaysSoStrictRefuses() async throws {
            try await TestServer.run { fhir, _ in
                let ids = try await patients(fhir, [("Ashworth", "1980-01-01"), ("Baines", "1990-01-01")])
                let lenient = try await fhir.searchBundle("/fhir/Patient?family=ash&colour=blue")
                #expect(lenient.entryIDs() == [ids[0]])
                let selfLink = try #require(lenient.link("self"))
                #expect(selfLink.contains("family=ash") && !selfLink.contains("colour"), "the self link says what was searched")
                let outcome = lenient.entries.first { $0["search"]?["mode"] == "outcome" }?["resource"]
                #expect(outcome?["resourceType"] == "OperationOutcome")
                #expect(outcome?.issues.first?.diagnostics?.contains("colour") == true)
                let explicit = try await fhir.get("/fhir/Patient?family=ash&colour=blue", headers: [.prefer: "handling=lenient"])
                #expect(explicit.status == .ok)
                let strict = try await fhir.get("/fhir/Patient?family=ash&colour=blue", headers: [.prefer: "handling=strict"])
                try expectOutcome(strict, .badRequest, code: "not-supported")
                #expect(try strict.json().issues.first?.expression == ["colour"])
            }
        }

        @Test func malformedResultParametersAre400() async throws {
            try await TestServer.run { fhir, _ in
                _ = try await patients(fhir, [("Ashworth", "1980-01-01")])
                let cases: [(String, String)] = [
                    ("_count=-1", "_count"), ("_count=ten", "_count"), ("_sort=colour", "_sort"), ("_sort=", "_sort"),
                    ("_sort=family&_sort=birthdate", "_sort"), ("_total=some", "_total"), ("_summary=maybe", "_summary"),
                    ("_elements=na%20me", "_elements"), ("_cursor=not-a-cursor", "_cursor"), ("_type=Observation", "_type"),
                    ("birthdate=2020-13-45", "birthdate"), ("birthdate=xx2020", "birthdate"), ("gender:fuzzy=female", "gender:fuzzy"),
                    ("family=", "family"), ("gender=male,", "gender"),
                ]
                for (query, parameter) in cases {
                    let response = try await fhir.get("/fhir/Patient?\(query)")
                    try expectOutcome(response, .badRequest)
                    #expect(try response.json().issues.first?.expression == [parameter], "\(query)")
                }
            }
        }

        @Test func hostileValuesAreAnsweredNotObeyed() async throws {
            try await TestServer.run { fhir, record in
                let ids = try await patients(fhir, [("O'Brien", "1980-01-01"), ("Percent%", "1990-01-01")])
                // SQL in a value is a value: it matches nothing and changes nothing.
                let injection = try await fhir.searchBundle("/fhir/Patient?family=x%27%29%20OR%201%3D1%20--")
                #expect(injection.entries.isEmpty)
                #expect(try await fhir.searchBundle("/fhir/Patient?family=o%27b").entryIDs() == [ids[0]])
                // LIKE wildcards in :contains are literal.
                #expect(try await fhir.searchBundle("/fhir/Patient?family:contains=%25").entryIDs() == [ids[1]])
                #expect(try await fhir.searchBundle("/fhir/Patient?family:contains=_").entries.isEmpty)
                // A very long value and very many alternatives are answered.
                let long = String(repeating: "a", count: 10_000)
                #expect(try await fhir.get("/fhir/Patient?family=\(long)").status == .ok)
                let many = (0..<500).map { "id-\($0)" }.joined(separator: ",")
                #expect(try await fhir.get("/fhir/Patient?_id=\(many)").status == .ok)
                // Past the bounds: a clear refusal, not an unbounded statement.
                let tooMany = (0..<1_001).map { "id-\($0)" }.joined(separator: ",")
                try expectOutcome(try await fhir.get("/fhir/Patient?_id=\(tooMany)"), .badRequest)
                let parameters = (0..<101).map { "family=a\($0)" }.joined(separator: "&")
                try expectOutcome(try await fhir.get("/fhir/Patient?\(parameters)"), .badRequest, code: "too-costly")
                #expect(try await record.counts()["Patient"] == 2)
            }
        }
    }
}
