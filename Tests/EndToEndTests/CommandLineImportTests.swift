import CareRecord
import Foundation
import Testing

@Suite("joinedup import, run as a command")
struct CommandLineImportTests {
    @Test func importsTheSyntheaBundlesAndSummarises() async throws {
        let folder = try TemporaryFolder()
        let run = try await JoinedUpProcess.run(["import", "--database", folder.path("record.sqlite")] + syntheaFiles(), in: folder.url)
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("Imported 273 resources"))
        let patientLine = run.output.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("Patient ") }
        #expect(patientLine?.hasSuffix(" 3") == true)
        #expect(run.output.contains("Resolved"))
        let stages = run.output.split(separator: "\n").first { $0.contains("loading the rows") }
        #expect(stages?.contains("building the search indexes") == true,
                "into an empty store the index builds are a stage of their own, timed: \(run.output)")
        let record = try CareRecord(path: folder.path("record.sqlite"))
        #expect(try await record.counts().values.reduce(0, +) == 273)
    }

    @Test func reportsBadLinesAndSkipsThem() async throws {
        let folder = try TemporaryFolder()
        let file = folder.path("mixed.ndjson")
        try """
            {"resourceType": "Patient", "id": "a"}
            {"resourceType": "Patient", "id": "b", "birthDate": "yesterday"}
            {"resourceType": "Patient", "id": "c"}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let run = try await JoinedUpProcess.run(["import", "--database", folder.path("record.sqlite"), file], in: folder.url)
        #expect(run.status == 2, "a load with rejected records says so in its exit status")
        #expect(run.output.contains("Imported 2 resources"))
        #expect(run.output.contains("mixed.ndjson line 2"))
        #expect(run.output.contains("Patient.birthDate"))
        #expect(!run.output.contains("yesterday"), "the summary names the fault, not the data")
    }

    @Test func strictStopsWithoutStoringTheBadBatch() async throws {
        let folder = try TemporaryFolder()
        let file = folder.path("bad.ndjson")
        try "{\"resourceType\": \"Patient\", \"id\": \"a\"}\n{\"resourceType\": \"Patient\", \"id\": \"b\", \n".write(toFile: file, atomically: true, encoding: .utf8)
        let run = try await JoinedUpProcess.run(["import", "--strict", "--database", folder.path("record.sqlite"), file], in: folder.url)
        #expect(run.status != 0)
        #expect(run.errors.contains("line 2"))
        let record = try CareRecord(path: folder.path("record.sqlite"))
        #expect(try await record.counts().isEmpty)
    }

    @Test func aMissingFileIsAClearError() async throws {
        let folder = try TemporaryFolder()
        let run = try await JoinedUpProcess.run(["import", "--database", folder.path("record.sqlite"), folder.path("nothing.ndjson")], in: folder.url)
        #expect(run.status != 0)
        #expect(run.errors.contains("cannot read"))
    }
}
