import Logging
@testable import Storage
import Testing

/// When reads may go to the replica (`PostgresReplica.isCurrent`), apart from any server: the
/// positions it compares and the rest it takes after failing. (The routing against a real
/// replica is `PostgresReplicaTests`.)
@Suite("PostgreSQL: when reads go to the replica")
struct PostgresReplicaRoutingTests {
    /// A replica at an address nothing listens on: asked anything, it cannot answer.
    func unreachable() throws -> PostgresReplica {
        try PostgresReplica(address: PostgresAddress("postgres://joinedup@127.0.0.1:1/joinedup"), maximumReaders: 1,
                            logger: Logger(label: "test"))
    }

    @Test func withNoWriteSinceItWasSeenCurrentItIsNotAsked() async throws {
        let replica = try unreachable()
        defer { replica.close() }
        #expect(await replica.isCurrent(), "nothing written: current without asking")
        replica.noteWrite(0x10)
        #expect(await !replica.isCurrent(), "a write it cannot be asked about keeps reads on the primary")
    }

    @Test func aReplicaThatFailedIsLeftOutForAWhile() async throws {
        let replica = try unreachable()
        defer { replica.close() }
        replica.failed()
        #expect(await !replica.isCurrent())
    }

    @Test func anUnreadablePositionKeepsReadsOnThePrimaryUntilALaterWrite() async throws {
        let replica = try unreachable()
        defer { replica.close() }
        replica.noteWrite(nil)
        #expect(await !replica.isCurrent())
        #expect(PostgresReplica.position("16/B374D848") == 0x16_B374_D848)
        #expect(PostgresReplica.position("nonsense") == nil)
    }
}
