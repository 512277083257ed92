import FHIR
import Foundation
import HummingbirdTesting
import Testing

extension FHIRServerTests {
    @Suite("History")
    struct History {
        @Test func instanceHistoryIsNewestFirst() async throws {
            try await TestServer.run { fhir, _ in
                let id = try await fhir.create(Mock.patient(family: "One"))
                _ = try await fhir.put("/fhir/Patient/\(id)", Mock.patient(family: "Two", id: id))
                _ = try await fhir.put("/fhir/Patient/\(id)", Mock.patient(family: "Three", id: id))
                let response = try await fhir.get("/fhir/Patient/\(id)/_history")
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/fhir+json; charset=utf-8")
                let bundle = try response.json()
                #expect(bundle["resourceType"] == "Bundle")
                #expect(bundle["type"] == "history")
                let entries = bundle.entries
                #expect(entries.map { $0["resource"]?["meta"]?["versionId"] } == ["3", "2", "1"])
                #expect(entries.map { $0["resource"]?["name"]?[0]?["family"] } == ["Three", "Two", "One"])
                #expect(entries.map { $0["request"]?["method"] } == ["PUT", "PUT", "POST"])
                #expect(entries.map { $0["request"]?["url"] } == [.string("Patient/\(id)"), .string("Patient/\(id)"), "Patient"])
                #expect(entries.map { $0["response"]?["status"] } == ["200 OK", "200 OK", "201 Created"])
                #expect(entries.map { $0["response"]?["lastModified"] }
                            == ["2026-01-01T00:00:02.000Z", "2026-01-01T00:00:01.000Z", "2026-01-01T00:00:00.000Z"])
                #expect(entries.allSatisfy { $0["fullUrl"] == .string("http://localhost/fhir/Patient/\(id)") })
                #expect(bundle["link"]?[0]?["relation"] == "self")
                #expect(bundle["link"]?.elements.count == 1)
            }
        }

        /// A history entry's request and response say what the interaction that made the version
        /// was: an update that created a resource under the client's id is `PUT Patient/id`
        /// answered 201 (replaying `POST Patient` would give it another id).
        @Test func historyRecordsTheInteractionThatMadeEachVersion() async throws {
            try await TestServer.run { fhir, _ in
                #expect(try await fhir.put("/fhir/Patient/chosen", Mock.patient(id: "chosen")).status == .created)
                #expect(try await fhir.delete("/fhir/Patient/chosen").status == .noContent)
                #expect(try await fhir.put("/fhir/Patient/chosen", Mock.patient(family: "Back", id: "chosen")).status == .created)
                let entries = try await fhir.get("/fhir/Patient/chosen/_history").json().entries
                try #require(entries.count == 3)
                #expect(entries.map { $0["request"]?["method"] } == ["PUT", "DELETE", "PUT"])
                #expect(entries.map { $0["request"]?["url"] } == ["Patient/chosen", "Patient/chosen", "Patient/chosen"])
                #expect(entries.map { $0["response"]?["status"] } == ["201 Created", "204 No Content", "201 Created"])
            }
        }

        @Test func typeAndSystemHistory() async throws {
            try await TestServer.run { fhir, _ in
                let patient = try await fhir.create(Mock.patient())
                let observation = try await fhir.create(Mock.observation(subject: "Patient/\(patient)"))
                _ = try await fhir.put("/fhir/Patient/\(patient)", Mock.patient(family: "Jones", id: patient))

                let type = try await fhir.get("/fhir/Patient/_history").json()
                #expect(type["type"] == "history")
                #expect(type.entries.map { $0["resource"]?["meta"]?["versionId"] } == ["2", "1"])
                #expect(type.entries.allSatisfy { $0["resource"]?["resourceType"] == "Patient" })

                let system = try await fhir.get("/fhir/_history").json()
                #expect(system.entries.map { $0["resource"]?["id"] }
                            == [.string(patient), .string(observation), .string(patient)])
                #expect(system.entries.map { $0["resource"]?["resourceType"] } == ["Patient", "Observation", "Patient"])

                let empty = try await fhir.get("/fhir/Encounter/_history").json()
                #expect(empty["type"] == "history")
                #expect(empty.entries.isEmpty)
                try expectOutcome(try await fhir.get("/fhir/Unicorn/_history"), .notFound)
            }
        }

        @Test func pagingFollowsNextLinksAndSeesEveryVersionOnceWhileOthersWrite() async throws {
            try await TestServer.run { fhir, _ in
                var written: Set<String> = []
                for number in 0..<3 {
                    let id = try await fhir.create(Mock.patient(family: "P\(number)"))
                    written.insert("\(id)/1")
                    if number < 2 {
                        _ = try await fhir.put("/fhir/Patient/\(id)", Mock.patient(family: "Q\(number)", id: id))
                        written.insert("\(id)/2")
                    }
                }
                #expect(written.count == 5)

                var seen: [String] = []
                var uri: String? = "/fhir/_history?_count=2"
                var pages = 0
                while let next = uri {
                    let response = try await fhir.get(next)
                    #expect(response.status == .ok, "\(response.text)")
                    let bundle = try response.json()
                    let entries = bundle.entries
                    #expect(entries.count <= 2)
                    seen += entries.compactMap { entry in
                        guard let id = entry["resource"]?["id"]?.stringValue,
                              let version = entry["resource"]?["meta"]?["versionId"]?.stringValue else { return nil }
                        return "\(id)/\(version)"
                    }
                    pages += 1
                    if pages == 1 {
                        // A write between pages: it is newer than the first page, so it must not
                        // appear on a later one, and nothing already seen may come back.
                        _ = try await fhir.create(Mock.patient(family: "Late"))
                    }
                    uri = try nextLink(bundle)
                    if pages > 10 { break }
                }
                #expect(pages == 3)
                #expect(seen.count == 5)
                #expect(Set(seen) == written)
            }
        }

        @Test func typeHistoryPagingCarriesSinceAndCount() async throws {
            try await TestServer.run { fhir, _ in
                for number in 0..<5 { _ = try await fhir.create(Mock.patient(family: "P\(number)")) }
                let first = try await fhir.get("/fhir/Patient/_history?_count=2&_since=2026-01-01T00:00:01Z").json()
                #expect(first.entries.map { $0["resource"]?["name"]?[0]?["family"] } == ["P4", "P3"])
                let link = try #require(try nextLink(first))
                #expect(link.hasPrefix("/fhir/Patient/_history?"))
                #expect(link.contains("_count=2"))
                #expect(link.contains("_since=2026-01-01T00:00:01.000Z"))
                let second = try await fhir.get(link).json()
                #expect(second.entries.map { $0["resource"]?["name"]?[0]?["family"] } == ["P2", "P1"])
                #expect(try nextLink(second) == nil)
            }
        }

        @Test func sinceFiltersByLastUpdated() async throws {
            try await TestServer.run { fhir, _ in
                let a = try await fhir.create(Mock.patient(family: "A")) // 00:00:00
                let b = try await fhir.create(Mock.patient(family: "B")) // 00:00:01
                let c = try await fhir.create(Mock.patient(family: "C")) // 00:00:02
                let since = try await fhir.get("/fhir/_history?_since=2026-01-01T00:00:01Z").json()
                #expect(since.entries.map { $0["resource"]?["id"] } == [.string(c), .string(b)])
                let offset = try await fhir.get("/fhir/Patient/_history?_since=2026-01-01T01:00:02%2B01:00").json()
                #expect(offset.entries.map { $0["resource"]?["id"] } == [.string(c)])
                let all = try await fhir.get("/fhir/Patient/_history?_since=2025").json()
                #expect(all.entries.map { $0["resource"]?["id"] } == [.string(c), .string(b), .string(a)])
                let none = try await fhir.get("/fhir/Patient/\(a)/_history?_since=2026-01-02").json()
                #expect(none.entries.isEmpty)
            }
        }

        @Test(arguments: ["_since=yesterday", "_since=2026-13-01", "_count=abc", "_count=-1", "_page=0",
                          "_page=abc", "_sort=_lastUpdated"])
        func badHistoryParametersAre400(query: String) async throws {
            try await TestServer.run { fhir, _ in
                let id = try await fhir.create(Mock.patient())
                try expectOutcome(try await fhir.get("/fhir/_history?\(query)"), .badRequest)
                try expectOutcome(try await fhir.get("/fhir/Patient/_history?\(query)"), .badRequest)
                try expectOutcome(try await fhir.get("/fhir/Patient/\(id)/_history?\(query)"), .badRequest)
            }
        }

        @Test func badSinceNamesTheParameter() async throws {
            try await TestServer.run { fhir, _ in
                try expectOutcome(try await fhir.get("/fhir/_history?_since=nope"), .badRequest, code: "value",
                                  expression: "_since")
                try expectOutcome(try await fhir.get("/fhir/_history?_count=many"), .badRequest, code: "value",
                                  expression: "_count")
            }
        }
    }
}

/// The `next` link of a Bundle as a path and query on this server, or nil.
func nextLink(_ bundle: JSON) throws -> String? {
    guard let link = bundle["link"]?.elements.first(where: { $0["relation"] == "next" }) else { return nil }
    let url = try #require(link["url"]?.stringValue.flatMap { URL(string: $0) })
    #expect(url.host == "localhost")
    return url.path + (url.query.map { "?\($0)" } ?? "")
}
