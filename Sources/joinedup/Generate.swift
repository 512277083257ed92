import ArgumentParser
import FHIR
import Foundation
import SyntheticArea

/// `joinedup generate`: a synthetic local area as FHIR NDJSON, the same for the same seed.
struct Generate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a synthetic local area (organisations and people so far) as FHIR NDJSON.")

    @Option(help: "How many people live in the area.")
    var people = 10_000

    @Option(help: "The random seed; the same seed gives the same area.")
    var seed: UInt64 = 1

    @Option(help: "The first day of the period (ages are as at this day).")
    var start = "2024-04-01"

    @Option(help: "The length of the period in months.")
    var months = 24

    @Option(help: "The folder to write NDJSON files into.")
    var out = "area"

    @Option(help: "A parameters file (JSON) to use instead of the defaults.")
    var params: String?

    @Flag(help: "Print the default parameters (a file to copy and change) and stop.")
    var printParams = false

    func validate() throws {
        guard printParams || people > 0 else { throw ValidationError("--people must be at least 1") }
        guard FHIRInstant(parsing: start) != nil, start.count == 10 else { throw ValidationError("--start must be a date such as 2024-04-01") }
        guard (1...240).contains(months) else { throw ValidationError("--months must be between 1 and 240") }
    }

    func run() async throws {
        if printParams {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(AreaParameters.defaults), as: UTF8.self))
            return
        }
        let parameters: AreaParameters
        if let params {
            guard let data = FileManager.default.contents(atPath: params) else { throw ValidationError("cannot read \(params)") }
            do { parameters = try AreaParameters.load(data) } catch { throw ValidationError("\(params): \(error)") }
        } else {
            parameters = .defaults
        }
        let options = GeneratorOptions(people: people, seed: seed, start: FHIRInstant(parsing: start)!, months: months)
        let writer = try NDJSONDirectoryWriter(directory: out)
        let clock = ContinuousClock.now
        try AreaGenerator(parameters: parameters, options: options).generate(writer.write)
        try writer.close()
        let elapsed = ContinuousClock.now - clock
        print("Generated \(parameters.area.name): \(writer.countsByType.values.reduce(0, +)) resources, "
            + "\(writer.bytesWritten >> 10) KB, in \(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 2))))")
        for (type, count) in writer.countsByType.sorted(by: { $0.key < $1.key }) {
            print("  \(type.padding(toLength: 16, withPad: " ", startingAt: 0)) \(count)  \(out)/\(type).ndjson")
        }
    }
}
