import ArgumentParser
import FHIR
import Foundation

/// `joinedup bench-search ndjson`: the benchmark population as an NDJSON file, so that
/// `joinedup import` of any build (part 1's, before the search index, and this one) can load
/// the very same resources: the import-time comparison of issue 4 is one file, two binaries.
struct SearchBenchNDJSON: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ndjson",
        abstract: "Write the population (the resources load stores, in the same order) as one NDJSON file.")

    @OptionGroup var population: SearchBenchPopulationOptions

    @Option(help: "The file to write (replaced if it exists).")
    var output = "bench-search/population.ndjson"

    func run() throws {
        let generator = population.population
        guard FileManager.default.createFile(atPath: output, contents: nil),
              let file = FileHandle(forWritingAtPath: output) else {
            throw ValidationError("cannot create \(output)")
        }
        defer { try? file.close() }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        var count = 0
        try generator.generate { resource in
            buffer += JSONSerializer.bytes(resource)
            buffer.append(0x0A)
            count += 1
            if buffer.count >= 1 << 20 {
                try file.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try file.write(contentsOf: buffer)
        print("Wrote \(count) resources (\(generator.patients) patients + \(BenchPopulation.bigPatientID)) to \(output)")
    }
}
