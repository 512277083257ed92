import FHIR
import HTTPTypes
import Testing

extension FHIRServerTests {
    /// Requests on separate connections at the same time: the checks behind conditional and
    /// version-aware writes hold under concurrency.
    @Suite("Concurrent writes")
    struct Concurrency {
        @Test func concurrentConditionalCreatesMakeOneResource() async throws {
            try await TestServer.run { fhir, record in
                let results = try await fhir.onSeparateConnections(8) { _, connection in
                    try await connection.send(.post, "/fhir/Patient", Mock.patient(mrn: "race-1"),
                                              headers: [.ifNoneExist: "identifier=\(Mock.mrnSystem)|race-1"])
                }
                #expect(results.filter { $0.status == .created }.count == 1)
                #expect(results.filter { $0.status == .ok }.count == 7)
                #expect(Set(results.compactMap { $0.body?["id"]?.stringValue }).count == 1)
                #expect(try await record.counts() == ["Patient": 1])
            }
        }

        @Test func concurrentUpdatesWithTheSameIfMatchLetExactlyOneThrough() async throws {
            try await TestServer.run { fhir, record in
                let id = try await fhir.create(Mock.patient())
                let results = try await fhir.onSeparateConnections(8) { index, connection in
                    try await connection.send(.put, "/fhir/Patient/\(id)", Mock.patient(family: "Writer\(index)", id: id),
                                              headers: [.ifMatch: #"W/"1""#])
                }
                #expect(results.filter { $0.status == .ok }.count == 1)
                #expect(results.filter { $0.status == .preconditionFailed }.count == 7)
                #expect(try await record.allVersions().count == 2)
            }
        }

        @Test func concurrentCreatesAllGetTheirOwnVersion1() async throws {
            try await TestServer.run { fhir, record in
                let results = try await fhir.onSeparateConnections(8) { index, connection in
                    try await connection.send(.put, "/fhir/Patient/p\(index)", Mock.patient(id: "p\(index)"))
                }
                #expect(results.allSatisfy { $0.status == .created })
                #expect(try await record.counts() == ["Patient": 8])
            }
        }
    }
}
