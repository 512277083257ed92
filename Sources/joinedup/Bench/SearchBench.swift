import ArgumentParser
import CareRecord
import FHIR
import Foundation

/// `joinedup bench-search`: the search benchmark of issue 4. `load` puts a deterministic
/// Synthea-like population into a store through the real import path and writes the URL
/// lists that `scripts/bench-search.sh` drives through wrk; `queries` writes the lists alone.
struct SearchBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-search",
        abstract: "Load the search benchmark's population and write its query URLs (scripts/bench-search.sh runs it).",
        subcommands: [SearchBenchLoad.self, SearchBenchQueriesCommand.self, SearchBenchNDJSON.self])
}

/// Options shared by `load` and `queries`: which population.
struct SearchBenchPopulationOptions: ParsableArguments {
    @Option(help: "People in the population, besides bench-big (about 50 resources each; 100000 makes about 5 million).")
    var patients = 1000

    @Option(help: "The random seed: the same seed and number give the same resources, byte for byte.")
    var seed: UInt64 = 1

    @Option(help: "URLs per query class.")
    var urlsPerClass = 2000

    func validate() throws {
        guard (1...BenchPopulation.maxPatients).contains(patients) else {
            throw ValidationError("--patients must be between 1 and \(BenchPopulation.maxPatients)")
        }
        guard urlsPerClass > 0 else { throw ValidationError("--urls-per-class must be positive") }
    }

    var population: BenchPopulation { BenchPopulation(seed: seed, patients: patients) }

    /// Where the query files go when not told: beside the store, named by population.
    func defaultQueries(beside store: String) -> String {
        let folder = (store as NSString).deletingLastPathComponent
        return ((folder.isEmpty ? "." : folder) as NSString).appendingPathComponent("queries-\(patients)-seed\(seed)")
    }
}

struct SearchBenchLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Load the population into a new store through the import path, then write the query URLs.")

    @OptionGroup var population: SearchBenchPopulationOptions

    @Option(name: [.customLong("store"), .customLong("database")], help: "The SQLite file to create.")
    var store = "bench-search/area.sqlite"

    @Flag(help: "Open the record with search indexing off (the baseline for the import-time comparison).")
    var noSearchIndex = false

    @Flag(help: "Delete the store first if it exists (otherwise an existing store is refused).")
    var replace = false

    @Flag(help: "Keep the store if an earlier load of this same population into it finished (its marker says so); load afresh otherwise.")
    var reuse = false

    @Option(help: "Resources per write transaction (as `joinedup import --batch-size` into an empty store).")
    var batchSize = Importer.emptyStoreBatchSize

    @Option(name: .customLong("cache-mb"), help: "The writer's page cache in megabytes (as `joinedup import --cache-mb` into an empty store).")
    var cacheMegabytes = Importer.emptyStoreCacheMegabytes

    @Option(help: "Folder for the query URL files. Default: queries-<patients>-seed<seed> beside the store.")
    var queries: String?

    @Flag(help: "Do not write query URL files.")
    var noQueries = false

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
    }

    func run() async throws {
        let fileManager = FileManager.default
        let generator = population.population
        let marker = SearchBenchMarker(patients: generator.patients, seed: generator.seed, searchIndex: !noSearchIndex)
        if reuse, fileManager.fileExists(atPath: store), let result = marker.finishedLoad(in: store) {
            print("Reusing \(store): it holds \(marker.identity) (delete it, or leave out --reuse, to load afresh)")
            print(result + " reused=1")
            try writeQueries(generator)
            return
        }
        let files = [store, store + "-wal", store + "-shm", SearchBenchMarker.path(store)]
        if files.contains(where: fileManager.fileExists) {
            guard replace || reuse else {
                throw ValidationError("\(store) exists; pass --replace to delete it and load afresh")
            }
            for file in files { try? fileManager.removeItem(atPath: file) }
        }
        let folder = (store as NSString).deletingLastPathComponent
        if !folder.isEmpty { try fileManager.createDirectory(atPath: folder, withIntermediateDirectories: true) }

        print("joinedup bench-search load: \(generator.patients) patients + \(BenchPopulation.bigPatientID) "
            + "(\(BenchPopulation.bigPatientResources) resources), seed \(generator.seed), generator \(BenchPopulation.version), "
            + "search index \(noSearchIndex ? "off" : "on"), batches of \(batchSize), into \(store)")
        let record = try CareRecord(path: store, environment: .live, searchIndexing: !noSearchIndex,
                                    writerCacheMegabytes: cacheMegabytes)

        let clock = ContinuousClock()
        let started = clock.now
        var tally = DemoLoadTally()
        var writeTime = Duration.zero
        var lastReport = started
        // As the demo load does: the generator on its own thread, validation of a batch here
        // while the previous batch is written. `writeTime` adds up the writer's busy time
        // (writes run one after the other), the part search indexing adds to. As `joinedup
        // import` does, the search index's value indexes are built once, after the rows are
        // in (the store is empty); `indexBuildStarted` times that part.
        var indexBuildStarted: ContinuousClock.Instant?
        try await record.bulkLoad(building: {
            indexBuildStarted = clock.now
            say("  building the search indexes...")
        }) {
            let batches = GeneratedBatches(batchSize: batchSize, generate: { try generator.generate($0) })
            try await batches.store(into: record) { batch, results, writerTime in
                tally.add(batch, results)
                writeTime += writerTime
                if clock.now - lastReport > .seconds(15) {
                    lastReport = clock.now
                    let seconds = (clock.now - started).seconds
                    say("  \(tally.stored) resources in \(Int(seconds)) s (\(Int(Double(tally.stored) / seconds))/s), "
                        + "peak memory \(peakResidentMegabytes()) MB")
                }
            }
        }
        let loadSeconds = (clock.now - started).seconds
        let indexBuildSeconds = indexBuildStarted.map { (clock.now - $0).seconds } ?? 0
        let checkpointStarted = clock.now
        try record.embedded.checkpoint()
        let checkpointSeconds = (clock.now - checkpointStarted).seconds

        let megabytes = Double(files.prefix(3).reduce(0) { total, file in
            total + ((try? fileManager.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
        }) / 1_048_576
        print("Loaded \(tally.stored) resources in \(String(format: "%.1f", loadSeconds)) s "
            + "(\(Int(Double(tally.stored) / max(loadSeconds, 0.001))) resources/s); writer busy "
            + "\(String(format: "%.1f", writeTime.seconds)) s; index build \(String(format: "%.1f", indexBuildSeconds)) s; final checkpoint \(String(format: "%.1f", checkpointSeconds)) s")
        print("  \(tally.byTypeLine)")
        print("Peak resident memory \(peakResidentMegabytes()) MB; on disk \(String(format: "%.0f", megabytes)) MB")
        if !tally.failures.isEmpty {
            print("\(tally.failureCount) resource(s) were refused:\n" + tally.failures.joined(separator: "\n"))
            throw ExitCode(2)
        }
        // One line for scripts.
        let result = ("RESULT patients=\(generator.patients) resources=\(tally.stored) seconds=\(String(format: "%.2f", loadSeconds)) "
            + "write_seconds=\(String(format: "%.2f", writeTime.seconds)) index_build_seconds=\(String(format: "%.2f", indexBuildSeconds)) "
            + "checkpoint_seconds=\(String(format: "%.2f", checkpointSeconds)) "
            + "peak_mb=\(peakResidentMegabytes()) disk_mb=\(String(format: "%.0f", megabytes)) "
            + "search_index=\(searchIndexState)")
        print(result)
        try marker.write(result, beside: store)
        try writeQueries(generator)
    }

    private func writeQueries(_ generator: BenchPopulation) throws {
        guard !noQueries else { return }
        let directory = queries ?? population.defaultQueries(beside: store)
        try SearchBenchQueryWriter(population: generator, perClass: population.urlsPerClass).write(to: directory)
        print("Query URLs (\(population.urlsPerClass) per class) in \(directory)")
    }

    private var searchIndexState: String {
        if !noSearchIndex { return "on" }
        return searchBenchIndexingCanBeTurnedOff ? "off" : "unsupported"
    }
}

struct SearchBenchQueriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queries",
        abstract: "Write the query URL files for a population without loading it (the same files load writes).")

    @OptionGroup var population: SearchBenchPopulationOptions

    @Option(help: "Folder for the query URL files.")
    var out = "bench-search/queries"

    func run() async throws {
        let files = try SearchBenchQueryWriter(population: population.population, perClass: population.urlsPerClass).write(to: out)
        print("Wrote \(files.count) query classes (\(population.urlsPerClass) URLs each) to \(out)")
    }
}

/// `<store>.bench.txt`: which population a finished load put in the store and its RESULT
/// line, so `load --reuse` can keep the store instead of loading it again. Written only when
/// the load succeeded; a load deletes it first.
struct SearchBenchMarker {
    var patients: Int
    var seed: UInt64
    var searchIndex: Bool

    static func path(_ store: String) -> String { store + ".bench.txt" }

    /// Everything that decides the store's content.
    var identity: String {
        "generator=\(BenchPopulation.version) patients=\(patients) seed=\(seed) search_index=\(searchIndex ? "on" : "off")"
    }

    func write(_ result: String, beside store: String) throws {
        try (identity + "\n" + result + "\n").write(toFile: Self.path(store), atomically: true, encoding: .utf8)
    }

    /// The RESULT line of the finished load of this population into `store`, if there was one.
    func finishedLoad(in store: String) -> String? {
        guard let text = try? String(contentsOfFile: Self.path(store), encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n").map(String.init)
        guard lines.count >= 2, lines[0] == identity, lines[1].hasPrefix("RESULT ") else { return nil }
        return lines[1]
    }
}

/// Whether `--no-search-index` really turns indexing off in this build.
let searchBenchIndexingCanBeTurnedOff = true
