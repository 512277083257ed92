import Foundation

/// The query classes of the search benchmark and their URL lists for wrk, sampled from the
/// population by remaking the sampled people (`BenchPopulation.plan`), never by reading the
/// store. Each class draws from its own random stream, so adding a class changes no other
/// file. Every URL is chosen to match at least one resource and carries the fewest entries a
/// correct first page must hold (matches up to 10, assuming pages of at least 10, plus every
/// resource a `_revinclude` must add), which the wrk script checks, so a server that ignores
/// a parameter it was asked to honour shows up as a failure rather than a fast result. The
/// selective classes match about the same number of resources at any population size, so
/// their latency can be compared across sizes; a name search finds more people in a larger
/// population, as it would in life.
struct SearchBenchQueryClass: Sendable {
    let name: String
    /// What it asks, in a line.
    let summary: String
    /// The target for the class at 100,000 patients, as printed in the table.
    let target: String
    /// A path under `/fhir/` for one sampled person, and the fewest entries its first page
    /// must hold.
    let url: @Sendable (BenchPersonPlan, inout BenchRandom) -> (path: String, minimum: Int)

    static let all: [SearchBenchQueryClass] = [
        .init(name: "identifier", summary: "Patient by NHS number (1 match)", target: "p50<5 p99<20") { person, _ in
            ("Patient?identifier=\(encode(BenchTables.nhsNumberSystem))%7C\(person.nhsNumber)", 1)
        },
        .init(name: "name", summary: "Patient by family name, prefix match (about 100 to 1,400 at 100k)",
              target: "p50<5 p99<20") { person, _ in
            ("Patient?name=\(encode(person.family))", 1)
        },
        .init(name: "birthdate", summary: "Patient by date of birth (a few)", target: "p50<5 p99<20") { person, _ in
            ("Patient?birthdate=\(person.birthDate)", 1)
        },
        .init(name: "subject", summary: "Observation?subject=Patient/id (~28)", target: "p50<5 p99<20") { person, _ in
            ("Observation?subject=Patient/\(person.id)", firstPage(person.observations.count))
        },
        .init(name: "subject-code", summary: "Observation by subject and LOINC code (1-5)", target: "p50<5 p99<20") { person, random in
            let kind = random.pick(person.observations).kind
            let code = BenchTables.observationKinds[kind].code
            return ("Observation?subject=Patient/\(person.id)&code=\(encode(BenchTables.loinc))%7C\(code)",
                    firstPage(person.observations.filter { $0.kind == kind }.count))
        },
        .init(name: "chain", summary: "Observation?subject.identifier=NHS number (one reference hop, ~28)",
              target: "p99<50") { person, _ in
            ("Observation?subject.identifier=\(encode(BenchTables.nhsNumberSystem))%7C\(person.nhsNumber)",
             firstPage(person.observations.count))
        },
        .init(name: "chain2", summary: "Observation?encounter.subject:Patient.identifier=NHS number (two hops, ~28)",
              target: "p99<50") { person, _ in
            ("Observation?encounter.subject:Patient.identifier=\(encode(BenchTables.nhsNumberSystem))%7C\(person.nhsNumber)",
             firstPage(person.observations.count))
        },
        .init(name: "has", summary: "Patient?_has:Encounter:subject:identifier=visit number (1)", target: "p99<50") { person, random in
            let visit = person.visitNumber(random.below(person.encounters.count))
            return ("Patient?_has:Encounter:subject:identifier=\(encode(BenchTables.visitNumberSystem))%7C\(visit)", 1)
        },
        .init(name: "has-code", summary: "Patient?birthdate=D&_has:Condition:subject:code=SNOMED (~1)", target: "p99<50") { person, random in
            let code = BenchTables.conditionKinds[random.pick(person.conditions).kind].code
            return ("Patient?birthdate=\(person.birthDate)&_has:Condition:subject:code=\(encode(BenchTables.snomed))%7C\(code)", 1)
        },
        .init(name: "revinclude", summary: "Patient?_id=id&_revinclude=Provenance:target (2)", target: "p99<50") { person, _ in
            ("Patient?_id=\(person.id)&_revinclude=Provenance:target", 2)
        },
        .init(name: "revinclude-record", summary: "Patient?_id=id with _revinclude of every record type (~50)",
              target: "p99<50") { person, _ in
            ("Patient?_id=\(person.id)" + ["Encounter:subject", "Condition:subject", "Observation:subject",
                                            "MedicationRequest:subject", "CarePlan:subject", "CareTeam:subject",
                                            "Provenance:target"].map { "&_revinclude=\($0)" }.joined(),
             person.resourceCount)
        },
        .init(name: "everything", summary: "Patient/id/$everything, an ordinary patient (~50 + practitioners)",
              target: "-") { person, _ in
            ("Patient/\(person.id)/$everything", firstPage(person.resourceCount))
        },
        .init(name: "everything-big", summary: "Patient/bench-big/$everything (2,000 resources), first page",
              target: "p99<100") { _, _ in
            ("Patient/\(BenchPopulation.bigPatientID)/$everything", firstPage(BenchPopulation.bigPatientResources))
        },
    ]

    /// The entries a first page must hold when `matches` resources match: all of them, up to
    /// a page of 10.
    static func firstPage(_ matches: Int) -> Int { min(matches, 10) }

    /// Percent-encodes a query value: everything but unreserved characters, `/` and `:`
    /// (allowed in a query by RFC 3986, and kept so the URLs stay readable).
    static func encode(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"), UInt8(ascii: ":"):
                out.unicodeScalars.append(UnicodeScalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(UnicodeScalar(hex[Int(byte >> 4)])) + String(UnicodeScalar(hex[Int(byte & 15)]))
            }
        }
        return out
    }
}

/// Writes one file of requests per query class (`<class>.txt`: `/fhir/...`, a tab, and the
/// fewest entries the answer's first page must hold, a line) and `classes.tsv` (name, target,
/// summary).
struct SearchBenchQueryWriter {
    let population: BenchPopulation
    let perClass: Int

    /// Returns the files written, by class name.
    @discardableResult
    func write(to directory: String, classes: [SearchBenchQueryClass] = SearchBenchQueryClass.all) throws -> [String: String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var written: [String: String] = [:]
        let big = population.plan(bigPatient: ())
        for (number, queryClass) in classes.enumerated() {
            var random = BenchRandom(seed: population.seed, stream: 0x5EA2_C400_0000 + UInt64(number))
            var lines = ""
            // $everything of bench-big is one URL; wrk repeats it.
            let count = queryClass.name == "everything-big" ? 1 : perClass
            for _ in 0..<count {
                let person = population.patients == 0 ? big : population.plan(random.below(population.patients))
                let url = queryClass.url(person, &random)
                lines += "/fhir/\(url.path)\t\(url.minimum)\n"
            }
            let path = (directory as NSString).appendingPathComponent("\(queryClass.name).txt")
            try lines.write(toFile: path, atomically: true, encoding: .utf8)
            written[queryClass.name] = path
        }
        // The table the script prints reads the targets and summaries from here.
        let table = classes.map { "\($0.name)\t\($0.target)\t\($0.summary)" }.joined(separator: "\n") + "\n"
        try table.write(toFile: (directory as NSString).appendingPathComponent("classes.tsv"), atomically: true, encoding: .utf8)
        return written
    }
}
