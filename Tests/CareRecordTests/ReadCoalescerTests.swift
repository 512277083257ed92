@testable import CareRecord
import Synchronization
import Testing

/// Reads by id that arrive together share statements, and each still gets its own answer.
@Suite("Record: reads gathered into batches")
struct ReadCoalescerTests {
    /// What the fake fetch saw: the batches it was given, and how many ran at once at most.
    final class Log: Sendable {
        private let state = Mutex((batches: [[Int]](), running: 0, mostRunning: 0))
        func start(_ keys: [Int]) {
            state.withLock { state in
                state.batches.append(keys)
                state.running += 1
                state.mostRunning = max(state.mostRunning, state.running)
            }
        }
        func end() { state.withLock { $0.running -= 1 } }
        var batches: [[Int]] { state.withLock { $0.batches } }
        var mostRunning: Int { state.withLock { $0.mostRunning } }
    }

    struct Refused: Error {}

    /// A slow fetch that doubles each key, and refuses any batch holding 13.
    static func coalescer(_ log: Log, inFlight: Int) -> ReadCoalescer<Int, Int> {
        ReadCoalescer(maximumInFlight: inFlight, maximumBatch: 16) { keys in
            log.start(keys)
            defer { log.end() }
            try await Task.sleep(for: .milliseconds(20))
            if keys.contains(13) { throw Refused() }
            return keys.map { $0 * 2 }
        }
    }

    @Test func aLoneReadGoesAloneAndAtOnce() async throws {
        let log = Log()
        let reads = Self.coalescer(log, inFlight: 2)
        #expect(try await reads.value(for: 21) == 42)
        #expect(log.batches == [[21]])
    }

    @Test func readsArrivingTogetherShareFewStatementsAndEachGetsItsOwnAnswer() async throws {
        let log = Log()
        let reads = Self.coalescer(log, inFlight: 2)
        let answers = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for key in 100..<300 { group.addTask { (key, try await reads.value(for: key)) } }
            return try await group.reduce(into: [Int: Int]()) { $0[$1.0] = $1.1 }
        }
        #expect(answers.count == 200)
        #expect(answers.allSatisfy { $0.value == $0.key * 2 })
        #expect(log.mostRunning <= 2)
        #expect(log.batches.allSatisfy { $0.count <= 16 })
        // 200 reads in at least 13 batches of 16; far fewer than one statement each.
        #expect(log.batches.count < 40)
        #expect(log.batches.flatMap { $0 }.sorted() == Array(100..<300))
    }

    @Test func aFailedStatementFailsOnlyTheReadsItCarried() async throws {
        let log = Log()
        let reads = Self.coalescer(log, inFlight: 1)
        let results = await withTaskGroup(of: (Int, Bool).self) { group in
            for key in 0..<40 {
                group.addTask { (key, (try? await reads.value(for: key)) == key * 2) }
            }
            return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        let refusedBatch = try #require(log.batches.first { $0.contains(13) })
        #expect(log.batches.count > 1)
        // Every read outside the refused batch, before it or after, was answered.
        for (key, answered) in results {
            #expect(answered == !refusedBatch.contains(key), "key \(key)")
        }
    }
}
