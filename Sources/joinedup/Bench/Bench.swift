import ArgumentParser
import CareRecord
import FHIR
import Foundation

/// `joinedup bench`: measures import throughput on the real write path (validation on,
/// embedded SQLite in WAL mode) through transaction bundles and through NDJSON, and reports
/// resources per second and peak resident memory. Build with `-c release` for figures
/// worth quoting; `scripts/bench-read.sh` measures reads over HTTP.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measure import throughput.")

    @Option(help: "Resources to load through each path.")
    var resources = 100_000

    @Option(help: "Entries per transaction bundle.")
    var bundleSize = 500

    @Option(help: "Resources per patient (the patient included).")
    var perPatient = 20

    @Option(help: "Folder for the benchmark's database and NDJSON file (emptied first).")
    var workDirectory = "bench-output"

    @Option(help: "Which paths to measure, comma-separated: bundles (POST /fhir work), ndjson, bundle-file (one batch Bundle file imported).")
    var paths = "bundles,ndjson"

    func run() async throws {
        let fileManager = FileManager.default
        try? fileManager.removeItem(atPath: workDirectory)
        try fileManager.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
        print("joinedup bench: \(resources) resources per path, \(perPatient) per patient, bundles of \(bundleSize)")

        let selected = Set(paths.split(separator: ",").map(String.init))
        if selected.contains("bundles") { try await benchBundles() }
        if selected.contains("ndjson") { try await benchNDJSON() }
        if selected.contains("bundle-file") { try await benchBundleFile() }
        print("peak resident memory: \(peakResidentMegabytes()) MB")
    }

    /// Synthea-like patients in transaction bundles of `bundleSize`, linked by urn:uuid.
    private func benchBundles() async throws {
        let bundleRecord = try CareRecord(path: "\(workDirectory)/bundles.sqlite")
        var generator = SampleResources(seed: 1)
        var loaded = 0
        var person = 0
        var clock = ContinuousClock.now
        var elapsed = Duration.zero
        while loaded < resources {
            var entries: [JSON] = []
            while entries.count + perPatient <= max(bundleSize, perPatient), loaded + entries.count < resources {
                let patientURL = "urn:uuid:00000000-0000-4000-8000-\(String(format: "%012d", person))"
                let group = generator.person(person, perPatient: perPatient, patientID: nil, patientReference: patientURL) { _ in nil }
                for (index, resource) in group.enumerated() {
                    let type = resource["resourceType"]?.stringValue ?? ""
                    let fullUrl = index == 0 ? patientURL : "urn:uuid:00000000-0000-4000-9000-\(String(format: "%012d", person * 1000 + index))"
                    entries.append(["fullUrl": .string(fullUrl), "resource": resource, "request": ["method": "POST", "url": .string(type)]])
                }
                person += 1
            }
            let bundle: JSON = ["resourceType": "Bundle", "type": "transaction", "entry": .array(entries)]
            // Time the same work a POST /fhir does after reading the body: parse, validate, store.
            let bytes = JSONSerializer.bytes(bundle)
            clock = .now
            let parsed = try JSONParser().parse(bytes)
            let result = try await bundleRecord.process(bundle: parsed)
            elapsed += ContinuousClock.now - clock
            if result.entries.contains(where: { $0.error != nil }) { throw ValidationError("a benchmark bundle failed") }
            loaded += entries.count
        }
        report("transaction bundles", count: loaded, elapsed: elapsed)
    }

    /// The same kind of data as an NDJSON file (ids kept, `Type/id` references), imported.
    private func benchNDJSON() async throws {
        let fileManager = FileManager.default
        let ndjsonPath = "\(workDirectory)/resources.ndjson"
        fileManager.createFile(atPath: ndjsonPath, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: ndjsonPath))
        var generator = SampleResources(seed: 2)
        var written = 0
        var person = 0
        while written < resources {
            var lines: [UInt8] = []
            let group = generator.person(person, perPatient: min(perPatient, resources - written),
                                         patientID: "p\(person)", patientReference: "Patient/p\(person)") { "p\(person)-\($0)" }
            for resource in group {
                lines.append(contentsOf: JSONSerializer.bytes(resource))
                lines.append(UInt8(ascii: "\n"))
            }
            handle.write(Data(lines))
            written += group.count
            person += 1
        }
        try handle.close()
        let ndjsonRecord = try CareRecord(path: "\(workDirectory)/ndjson.sqlite")
        var summary = ImportSummary()
        let size = (try? fileManager.attributesOfItem(atPath: ndjsonPath)[.size] as? Int) ?? 0
        print("NDJSON file: \(size >> 20) MB; peak resident memory before import: \(peakResidentMegabytes()) MB")
        let clock = ContinuousClock.now
        try await Importer(record: ndjsonRecord).importFile(ndjsonPath, into: &summary)
        let ndjsonElapsed = ContinuousClock.now - clock
        if summary.failureCount > 0 { throw ValidationError("\(summary.failureCount) NDJSON records failed") }
        report("NDJSON import", count: summary.stored, elapsed: ndjsonElapsed)
    }

    /// One batch Bundle file holding every resource, entries linked by urn:uuid as Synthea
    /// writes them, imported by the streaming importer.
    private func benchBundleFile() async throws {
        let path = "\(workDirectory)/bundle.json"
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        handle.write(Data(#"{"resourceType":"Bundle","type":"batch","entry":["#.utf8))
        var generator = SampleResources(seed: 3)
        var written = 0
        var person = 0
        while written < resources {
            let patientURL = "urn:uuid:00000000-0000-4000-8000-\(String(format: "%012d", person))"
            let group = generator.person(person, perPatient: min(perPatient, resources - written), patientID: nil,
                                         patientReference: patientURL) { _ in nil }
            var bytes: [UInt8] = []
            for (index, resource) in group.enumerated() {
                let type = resource["resourceType"]?.stringValue ?? ""
                let fullUrl = index == 0 ? patientURL : "urn:uuid:00000000-0000-4000-9000-\(String(format: "%012d", written + index))"
                if written + index > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes += JSONSerializer.bytes(["fullUrl": .string(fullUrl), "resource": resource,
                                               "request": ["method": "POST", "url": .string(type)]])
            }
            handle.write(Data(bytes))
            written += group.count
            person += 1
        }
        handle.write(Data("]}".utf8))
        try handle.close()
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        print("Bundle file: \(size >> 20) MB; peak resident memory before import: \(peakResidentMegabytes()) MB")
        let record = try CareRecord(path: "\(workDirectory)/bundle-file.sqlite")
        var summary = ImportSummary()
        let clock = ContinuousClock.now
        try await Importer(record: record).importFile(path, into: &summary)
        let elapsed = ContinuousClock.now - clock
        if summary.failureCount > 0 { throw ValidationError("\(summary.failureCount) bundle entries failed") }
        report("Bundle file import", count: summary.stored, elapsed: elapsed)
    }

    private func report(_ label: String, count: Int, elapsed: Duration) {
        let seconds = elapsed.seconds
        print("\(label): \(count) resources in \(String(format: "%.2f", seconds)) s = \(Int(Double(count) / seconds)) resources/s")
    }
}

/// Peak resident set size of this process, from getrusage (kilobytes on Linux).
func peakResidentMegabytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss / 1024
}
