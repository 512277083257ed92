import ArgumentParser
import FHIR
import Foundation
import SyntheticArea

/// `joinedup generate`: a synthetic local area as FHIR NDJSON, transaction bundles and the
/// council's client export with its ground truth, the same bytes for the same seed.
struct Generate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a synthetic local area: FHIR NDJSON and transaction bundles, and the council's client export.",
        discussion: """
            Writes into --out: <Type>.ndjson per resource type, bundles/bundle-NNNNNN.json (transactions of PUTs), \
            council/<system>-clients.csv (as the council's case system exports it, with typing errors) and \
            council/truth.csv (every record and Patient mapped to the true person).
            """)

    @Option(help: "How many people live in the area at the start (births and arrivals add more).")
    var people = 10_000

    @Option(help: "The random seed; the same seed gives the same area.")
    var seed: UInt64 = 1

    @Option(help: "The first day of the period (ages are as at this day).")
    var start = "2024-04-01"

    @Option(help: "The length of the period in months.")
    var months = 24

    @Option(help: "The folder to write into.")
    var out = "area"

    @Option(help: "A parameters file (JSON) to use instead of the defaults (see --print-params).")
    var params: String?

    @Option(help: "What to write, comma-separated: ndjson, bundles, council.")
    var formats = "ndjson,bundles,council"

    @Option(help: "Entries in each transaction bundle.")
    var bundleSize = 1000

    @Option(name: .customLong("error"), help: ArgumentHelp(
        "Set one error rate of the council export, e.g. --error nhsNumberRecorded=0.4 (repeatable).",
        discussion: "Rates: \(CouncilRecordParameters.rateNames.joined(separator: ", ")).", valueName: "name=rate"))
    var errors: [String] = []

    @Flag(help: "Compress every file with gzip as it is written.")
    var gzip = false

    @Flag(help: "Print the default parameters (a file to copy and change) and stop.")
    var printParams = false

    private var chosen: Set<String> { Set(formats.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }

    func validate() throws {
        guard printParams || people > 0 else { throw ValidationError("--people must be at least 1") }
        guard FHIRInstant(parsing: start) != nil, start.count == 10 else { throw ValidationError("--start must be a date such as 2024-04-01") }
        guard (1...240).contains(months) else { throw ValidationError("--months must be between 1 and 240") }
        guard bundleSize >= 1 else { throw ValidationError("--bundle-size must be at least 1") }
        let unknown = chosen.subtracting(["ndjson", "bundles", "council"])
        guard unknown.isEmpty, !chosen.isEmpty else {
            throw ValidationError("--formats takes ndjson, bundles and council; not \(unknown.sorted().joined(separator: ", "))")
        }
        for error in errors {
            let parts = error.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let rate = Double(parts[1]), (0...1).contains(rate), CouncilRecordParameters.rateNames.contains(String(parts[0])) else {
                throw ValidationError("--error \(error): expected NAME=RATE with a rate between 0 and 1 and NAME one of "
                    + CouncilRecordParameters.rateNames.joined(separator: ", "))
            }
        }
    }

    func run() async throws {
        if printParams {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(AreaParameters.defaults), as: UTF8.self))
            return
        }
        var parameters: AreaParameters
        if let params {
            guard let data = FileManager.default.contents(atPath: params) else { throw ValidationError("cannot read \(params)") }
            do { parameters = try AreaParameters.load(data) } catch { throw ValidationError("\(params): \(error)") }
        } else {
            parameters = .defaults
        }
        for error in errors {
            let parts = error.split(separator: "=", maxSplits: 1)
            _ = parameters.councilRecords.setRate(String(parts[0]), Double(parts[1])!)
        }
        let options = GeneratorOptions(people: people, seed: seed, start: FHIRInstant(parsing: start)!, months: months)
        let files = try OutputFiles(directory: out, gzip: gzip)
        let ndjson = chosen.contains("ndjson") ? NDJSONDirectoryWriter(files: files) : nil
        let bundles = chosen.contains("bundles") ? BundleDirectoryWriter(files: files, entriesPerBundle: bundleSize) : nil
        let council = chosen.contains("council") ? try CouncilCSVWriter(files: files, system: parameters.councilRecords.system) : nil
        let clock = ContinuousClock.now
        var counts: [String: Int] = [:]
        let summary = try AreaGenerator(parameters: parameters, options: options).generate(resource: { resource in
            let type = resource["resourceType"]?.stringValue ?? "?"
            counts[type, default: 0] += 1
            try ndjson?.write(resource)
            try bundles?.write(resource)
            if type == "Patient", let id = resource["id"]?.stringValue { try council?.writeTruth(patient: id) }
        }, councilRecord: { record in try council?.write(record) })
        try ndjson?.close()
        try bundles?.close()
        try council?.close()
        let seconds = (ContinuousClock.now - clock).seconds
        let total = counts.values.reduce(0, +)
        print("Generated \(parameters.area.name) (seed \(seed), \(start) for \(months) months) in \(String(format: "%.1f", seconds)) s:")
        print("  people: \(summary.peopleAtStart) at the start, \(summary.born) born, \(summary.movedIn) moved in, "
            + "\(summary.died) died, \(summary.movedOut) moved out; \(summary.peopleKnownToCouncil) known to the council")
        if summary.withoutNHSNumber > 0 {
            print("  warning: \(summary.withoutNHSNumber) people have no NHS number: the 999 test range holds about 909,000 valid numbers")
        }
        print("  \(total) resources (\(Int(Double(total) / max(seconds, 0.001))) a second); peak resident memory \(peakResidentMegabytes()) MB")
        for (type, count) in counts.sorted(by: { $0.key < $1.key }) {
            print("    \(type.padding(toLength: 22, withPad: " ", startingAt: 0)) \(count)")
        }
        let suffix = gzip ? ".gz" : ""
        if let ndjson { print("  NDJSON: \(out)/<Type>.ndjson\(suffix), \(ndjson.bytesWritten >> 20) MB before compression") }
        if let bundles { print("  bundles: \(bundles.bundles) in \(out)/bundles/, \(bundles.bytesWritten >> 20) MB before compression") }
        if let council {
            print("  council export: \(council.records) client records in \(out)/council/\(parameters.councilRecords.system)-clients.csv\(suffix), "
                + "ground truth in \(out)/council/truth.csv\(suffix)")
        }
        if gzip { print("  on disk: \(directorySize(out) >> 20) MB") }
    }

    private func directorySize(_ path: String) -> Int {
        guard let walker = FileManager.default.enumerator(atPath: path) else { return 0 }
        var total = 0
        for case let name as String in walker {
            total += ((try? FileManager.default.attributesOfItem(atPath: path + "/" + name))?[.size] as? Int) ?? 0
        }
        return total
    }
}
