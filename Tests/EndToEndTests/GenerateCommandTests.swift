import CareRecord
import Foundation
import Testing

@Suite("joinedup generate, run as a command")
struct GenerateCommandTests {
    /// Every file under `folder`, relative, sorted.
    private func files(in folder: URL) throws -> [String] {
        let walker = FileManager.default.enumerator(atPath: folder.path)
        var names: [String] = []
        while let name = walker?.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.path + "/" + name, isDirectory: &isFolder), !isFolder.boolValue { names.append(name) }
        }
        return names.sorted()
    }

    @Test func gzippedOutputIsTheSameAreaAndImportsAsIs() async throws {
        let folder = try TemporaryFolder()
        let plain = try await JoinedUpProcess.run(["generate", "--people", "400", "--seed", "4", "--out", folder.path("plain")], in: folder.url)
        #expect(plain.status == 0, "\(plain.errors)")
        let packed = try await JoinedUpProcess.run(["generate", "--people", "400", "--seed", "4", "--gzip", "--out", folder.path("packed")],
                                                   in: folder.url)
        #expect(packed.status == 0, "\(packed.errors)")
        let plainFiles = try files(in: folder.url.appendingPathComponent("plain"))
        #expect(try files(in: folder.url.appendingPathComponent("packed")) == plainFiles.map { $0 + ".gz" })
        #expect(plainFiles.contains("council/northby-las-clients.csv") && plainFiles.contains("council/truth.csv"))

        // The gzipped NDJSON and the plain NDJSON load into the same record.
        let ndjson = plainFiles.filter { $0.hasSuffix(".ndjson") }
        let fromPlain = try await JoinedUpProcess.run(["import", "--database", folder.path("plain.sqlite")] + ndjson.map { folder.path("plain/" + $0) },
                                                      in: folder.url)
        let fromPacked = try await JoinedUpProcess.run(["import", "--database", folder.path("packed.sqlite")]
            + ndjson.map { folder.path("packed/" + $0 + ".gz") }, in: folder.url)
        #expect(fromPlain.status == 0 && fromPacked.status == 0, "\(fromPlain.errors) \(fromPacked.errors)")
        let plainCounts = try await CareRecord(path: folder.path("plain.sqlite")).counts()
        #expect(try await CareRecord(path: folder.path("packed.sqlite")).counts() == plainCounts)
        #expect((plainCounts["Patient"] ?? 0) >= 400)

        // So do the gzipped transaction bundles.
        let bundles = plainFiles.filter { $0.hasPrefix("bundles/") }.map { folder.path("packed/" + $0 + ".gz") }
        let fromBundles = try await JoinedUpProcess.run(["import", "--database", folder.path("bundles.sqlite")] + bundles, in: folder.url)
        #expect(fromBundles.status == 0, "\(fromBundles.errors)")
        #expect(try await CareRecord(path: folder.path("bundles.sqlite")).counts() == plainCounts)
    }

    @Test func aFileThatIsNotGzipIsRefusedByName() async throws {
        let folder = try TemporaryFolder()
        try "not gzip at all".write(toFile: folder.path("fake.ndjson.gz"), atomically: true, encoding: .utf8)
        let run = try await JoinedUpProcess.run(["import", "--database", folder.path("record.sqlite"), folder.path("fake.ndjson.gz")], in: folder.url)
        #expect(run.status != 0)
        #expect((run.output + run.errors).contains("fake.ndjson.gz is not a valid gzip file"))
    }

    @Test func badOptionsAreRefusedBeforeAnythingIsWritten() async throws {
        let folder = try TemporaryFolder()
        for arguments in [["--error", "nickname=2"], ["--error", "noSuchRate=0.1"], ["--formats", "xml"], ["--people", "0"], ["--start", "April"]] {
            let run = try await JoinedUpProcess.run(["generate", "--out", folder.path("area")] + arguments, in: folder.url)
            #expect(run.status != 0, "\(arguments)")
            #expect(!FileManager.default.fileExists(atPath: folder.path("area")), "\(arguments) wrote output")
        }
    }
}
