import CareRecord
import FHIR
import Foundation
import SyntheticArea

/// `serve --demo`: a synthetic local area put into the store before the server starts, so a
/// newcomer's first request already finds people, organisations and their records.
///
/// Resources go from the generator straight into the record's import path (validated, ids
/// kept, one transaction per batch), without a detour through files, in three overlapping
/// stages: generation, validation, writing. Measured in a debug build for 3,000 people
/// (39,928 resources of 12 types): 3.8 s; 4.9 s validating and writing one batch after the
/// other; about 7 s writing NDJSON to a temporary folder and importing it (the import alone
/// took 5.6 s). Nothing here depends on which resource types the generator yields, only on
/// its promise that organisations come first.
struct DemoArea {
    let entry: DemoAreaMarker.Entry

    /// The period of `joinedup generate`'s defaults, so a demo store and a generated folder
    /// with the same seed hold the same area.
    init(people: Int, seed: UInt64, start: String = "2024-04-01", months: Int = 24) {
        entry = DemoAreaMarker.Entry(people: people, seed: seed, start: start, months: months, generator: AreaGenerator.version,
                                     complete: false, resources: 0)
    }

    /// Makes sure `record` holds this area: reuses it when an earlier start loaded it, and
    /// otherwise generates and loads it (again, after a load that was cut short: the import
    /// keeps the generator's ids, so a second load rewrites the same resources).
    /// - Throws: `DemoAreaError` when the store holds something else.
    func prepare(_ record: CareRecord, say: (String) -> Void) async throws {
        let database = try record.embedded
        let marker = DemoAreaMarker(database: database)
        switch try await marker.read() {
        case .some(let found) where found.sameArea(as: entry) && found.complete:
            say("Reusing the demo area in \(database.path): \(found.summary), \(found.resources) resources "
                + "(delete the file to generate it afresh).")
            return
        case .some(let found) where found.sameArea(as: entry):
            say("The last demo load into \(database.path) did not finish; loading again.")
        case .some(let found):
            throw DemoAreaError.differentArea(path: database.path, holds: found, asked: entry)
        case .none:
            if try await !record.counts().isEmpty { throw DemoAreaError.notADemoStore(path: database.path) }
        }
        try await marker.write(entry)
        // Into an empty store the search index's value indexes are built once, at the end.
        let stored = try await record.bulkLoad(building: { say("Building the search indexes...") }) {
            try await load(into: record, say: say)
        }
        var finished = entry
        finished.complete = true
        finished.resources = stored
        try await marker.write(finished)
        try database.checkpoint()
    }

    /// Generates the area and stores it as it comes, a batch per write transaction, and
    /// returns how many resources were stored.
    private func load(into record: CareRecord, say: (String) -> Void) async throws -> Int {
        say("Generating a demo area of \(entry.people) people (seed \(entry.seed)) and loading it...")
        let clock = ContinuousClock()
        let started = clock.now
        let generator = AreaGenerator(parameters: .defaults, options: GeneratorOptions(
            people: entry.people, seed: entry.seed, start: FHIRInstant(parsing: entry.start)!, months: entry.months))
        var tally = DemoLoadTally()
        try await GeneratedBatches(batchSize: 1000, generate: { try generator.generate($0) }).store(into: record) { batch, results, _ in
            tally.add(batch, results)
        }
        let seconds = (clock.now - started).seconds
        say("Loaded \(tally.stored) resources in \(String(format: "%.1f", seconds)) s "
            + "(\(Int(Double(tally.stored) / max(seconds, 0.001))) resources/s): \(tally.byTypeLine)")
        if !tally.failures.isEmpty {
            // The generator's own tests check that its output is valid; if this shows, one is missing.
            say("\(tally.failureCount) generated resource(s) were refused:\n" + tally.failures.joined(separator: "\n"))
        }
        return tally.stored
    }
}
