import CareRecord
import FHIR
import Foundation
import Synchronization
import Testing

@Suite("joinedup serve: start, stop and crash")
struct ServeLifecycleTests {
    func patients(_ count: Int, bundle: Int) -> Data {
        let entries: [JSON] = (0..<count).map { _ in
            ["resource": ["resourceType": "Patient", "identifier": [["system": "urn:test:bundle", "value": .string("b\(bundle)")]]],
             "request": ["method": "POST", "url": "Patient"]]
        }
        return Data(JSONSerializer.bytes(["resourceType": "Bundle", "type": "transaction", "entry": .array(entries)]))
    }

    @Test func answersThenStopsCleanlyOnSIGTERMFinishingTheRequestInFlight() async throws {
        let folder = try TemporaryFolder()
        let server = try JoinedUpProcess(["serve", "--port", "0", "--database", folder.path("record.sqlite")], in: folder.url)
        let base = "http://127.0.0.1:\(try await server.waitForPort())/fhir"
        let metadata = try await HTTP.send("GET", "\(base)/metadata")
        #expect(metadata.status == 200)
        // The server made its key file on the first start; a write without a token is refused.
        #expect(try await HTTP.send("POST", base, body: patients(1, bundle: 0)).status == 401)
        let token = try await systemToken(in: folder.url)

        // Large enough to take seconds to store, so SIGTERM arrives while it is in flight.
        let body = patients(10_000, bundle: 1)
        let inFlight = Task { try await HTTP.send("POST", base, body: body, token: token) }
        // Long enough for the request to be connected and read even on a loaded CI machine
        // (at 1 s it sometimes was not, and the server rightly refused a late connection);
        // storing 10,000 patients takes longer than this, so SIGTERM still finds it in flight.
        try await Task.sleep(for: .seconds(3))
        server.signal(SIGTERM)
        let answer = try await inFlight.value
        #expect(answer.status == 200, "the request in flight when SIGTERM came was finished")
        #expect(try await server.waitForExit(timeout: .seconds(60)) == 0)
        let record = try CareRecord(path: folder.path("record.sqlite"))
        #expect(try await record.counts()["Patient"] == 10_000)
    }

    @Test func everyAcknowledgedTransactionSurvivesSIGKILLWholeAndNoneHalfWritten() async throws {
        let folder = try TemporaryFolder()
        let database = folder.path("record.sqlite")
        let server = try JoinedUpProcess(["serve", "--port", "0", "--database", database], in: folder.url)
        let base = "http://127.0.0.1:\(try await server.waitForPort())/fhir"
        let token = try await systemToken(in: folder.url)
        let size = 200
        let tally = Tally()
        // Two writers post bundles back to back; the server is killed while they are busy.
        let writers = (0..<2).map { writer in
            Task { () -> [Int] in
                var acknowledged: [Int] = []
                for round in 0..<10_000 {
                    let bundle = writer * 100_000 + round
                    guard let answer = try? await HTTP.send("POST", base, body: patients(size, bundle: bundle), token: token, timeout: 30) else { break }
                    if answer.status == 200 {
                        acknowledged.append(bundle)
                        tally.add()
                    }
                }
                return acknowledged
            }
        }
        // Killed once a few bundles are in, not after a fixed time: with the whole suite on two
        // cores, three seconds were sometimes not enough for the first answer. The writers post
        // back to back, so one is always in flight when the kill comes.
        let deadline = ContinuousClock.now + .seconds(120)
        while tally.value < 4, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        server.signal(SIGKILL)
        _ = try await server.waitForExit(timeout: .seconds(10))
        var acknowledged: [Int] = []
        for writer in writers { acknowledged += await writer.value }
        #expect(acknowledged.count >= 2, "the load ran before the kill")

        // Restart on the same file, as an operator would, and check over HTTP and in the store.
        let restarted = try JoinedUpProcess(["serve", "--port", "0", "--database", database], in: folder.url)
        let again = "http://127.0.0.1:\(try await restarted.waitForPort())/fhir"
        #expect(try await HTTP.send("GET", "\(again)/metadata").status == 200)
        restarted.signal(SIGTERM)
        _ = try await restarted.waitForExit(timeout: .seconds(30))

        let record = try CareRecord(path: database)
        for bundle in acknowledged {
            let found = try await record.count(matching: ConditionalQuery(type: "Patient", query: "identifier=urn:test:bundle|b\(bundle)"))
            #expect(found == size, "acknowledged bundle \(bundle) is whole")
        }
        let total = try await record.counts()["Patient"] ?? 0
        #expect(total % size == 0, "no transaction is half there")
        #expect(total >= acknowledged.count * size)
        #expect(total <= (acknowledged.count + 2) * size, "at most the two in flight committed without an answer")
    }

    @Test func badOptionsAreRefusedAtStart() async throws {
        let folder = try TemporaryFolder()
        let run = try await JoinedUpProcess.run(["serve", "--log-level", "loud"], in: folder.url)
        #expect(run.status != 0)
        #expect(run.errors.contains("--log-level"))
        // A read replica serves a PostgreSQL record, and is itself a postgres:// address.
        let onFile = try await JoinedUpProcess.run(["serve", "--database", folder.path("record.sqlite"),
                                                    "--read-replica", "postgres://joinedup@127.0.0.1:1/joinedup"], in: folder.url)
        #expect(onFile.status != 0)
        #expect(onFile.errors.contains("--read-replica needs a PostgreSQL --database"), "\(onFile.errors)")
        let notAnAddress = try await JoinedUpProcess.run(["serve", "--database", "postgres://joinedup@127.0.0.1:1/joinedup",
                                                          "--read-replica", "replica.sqlite"], in: folder.url)
        #expect(notAnAddress.status != 0)
        #expect(notAnAddress.errors.contains("--read-replica must be a postgres:// address"), "\(notAnAddress.errors)")
        #expect(!FileManager.default.fileExists(atPath: folder.path("record.sqlite")), "nothing was opened")
    }
}

/// Acknowledged answers so far, counted across the writer tasks.
private final class Tally: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
