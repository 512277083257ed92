@testable import CareRecord
import FHIR
import Foundation
import Storage
import Testing
import TestSupport

/// Reads by id (a reader taken on the calling thread) and multi-statement reads (searches,
/// history: a reader taken by `SQLiteDatabase.read`) at once, many more than the pool's eight
/// readers and the executor's threads: every one answers. When the multi-statement reads used
/// GRDB's async read, each held its reader until an executor thread resumed it, while every
/// executor thread waited in a read by id for a reader: the store stopped dead. Then no task
/// runs, not even a test's time limit, so a watchdog thread of its own ends the test process
/// if the reads have not all answered in two minutes. The reads run on two threads of their
/// own (`TwoThreadExecutor`), as a server's run on its two event loops: on the shared pool,
/// other tests blocking its threads (waiting for a child process) stalled them for a minute.
@Suite("Record: reads by id and searches together")
struct RecordReadMixTests {
    @Test func manyReadsByIdAndSearchesAtOnceAllAnswer() async throws {
        let answeredAll = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            if answeredAll.wait(timeout: .now() + 120) == .timedOut {
                FileHandle.standardError.write(Data("RecordReadMixTests: reads by id and searches deadlocked\n".utf8))
                exit(3)
            }
        }
        defer { answeredAll.signal() }
        let test = try TestRecord()
        var ids: [String] = []
        for index in 0..<20 {
            let json = try JSONParser().parse(#"{"resourceType":"Patient","name":[{"family":"Mix\#(index)"}]}"#)
            ids.append(try #require(try await test.record.create(json, type: "Patient").stored?.key.id))
        }
        let record = test.record
        let executor = TwoThreadExecutor()
        defer { executor.stop() }
        let answered = try await withTaskExecutorPreference(executor) { try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<2_000 {
                let id = ids[index % ids.count]
                group.addTask {
                    if index % 2 == 0 {
                        _ = try await record.read(ResourceKey("Patient", id))
                    } else {
                        let request = SearchRequest(types: ["Patient"], parameters: [QueryParameter(name: "family", value: "Mix")])
                        _ = try await record.search(request)
                        _ = try await record.history(HistoryQuery(scope: .instance(ResourceKey("Patient", id))))
                    }
                    return 1
                }
            }
            return try await group.reduce(0, +)
        } }
        #expect(answered == 2_000)
    }
}

/// Runs tasks on two threads of its own, whatever else the process's shared executor is busy
/// with.
final class TwoThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopped = false

    init() {
        for _ in 0..<2 { Thread.detachNewThread { [self] in run() } }
    }

    func enqueue(_ job: UnownedJob) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while jobs.isEmpty, !stopped { condition.wait() }
            if jobs.isEmpty, stopped {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
