import Foundation
import Testing

/// The generator's output read by an independent validator: the R4 models of the Python
/// package fhir.resources 6.4.0 (scripts/validate-fhir-sample.py). It shares nothing with our
/// own validator, so it catches what our reading of the R4 definitions gets wrong.
/// `scripts/test` makes its virtualenv and names its python in JOINEDUP_PYTHON; without it
/// these tests are reported as skipped, never as passed.
@Suite("The generator's output passes an independent FHIR R4 validator",
       .enabled(if: IndependentValidator.python != nil,
                "JOINEDUP_PYTHON is not set: run ./scripts/test, which installs fhir.resources 6.4.0 in .venv-tools"))
struct ValidatorTests {

    /// Runs the validator on `folder`, output to files (a pipe can fill and stall it), waiting
    /// by polling rather than blocking one of the test pool's threads.
    func validate(_ folder: TemporaryFolder, _ directory: String) async throws -> (status: Int32, output: String) {
        let output = folder.url.appendingPathComponent("validator-\(UUID().uuidString).txt")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(IndependentValidator.python))
        process.arguments = [IndependentValidator.script, directory, "--per-type", "200"]
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        return (process.terminationStatus, (try? String(contentsOf: output, encoding: .utf8)) ?? "")
    }

    @Test func aGeneratedAreaPasses() async throws {
        let folder = try TemporaryFolder()
        let area = folder.path("area")
        let generated = try await JoinedUpProcess.run(["generate", "--people", "2000", "--seed", "5", "--out", area], in: folder.url)
        #expect(generated.status == 0, "\(generated.errors)")
        let result = try await validate(folder, area)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("Patient.ndjson"), "\(result.output)")
        #expect(result.output.contains(" 0 failed"), "\(result.output)")
    }

    /// So that a validator that passes everything (a broken install, say) cannot pass the test above.
    @Test func theValidatorCatchesAnInvalidResource() async throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.path("bad"), withIntermediateDirectories: true)
        try "{\"resourceType\": \"Patient\", \"id\": \"a\", \"birthDate\": \"yesterday\"}\n"
            .write(toFile: folder.path("bad/Patient.ndjson"), atomically: true, encoding: .utf8)
        let result = try await validate(folder, folder.path("bad"))
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("Patient.birthDate"), "\(result.output)")
    }
}

/// Where the validator is: outside the suite, whose `.enabled` trait cannot refer to the suite itself.
enum IndependentValidator {
    static let python = ProcessInfo.processInfo.environment["JOINEDUP_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/validate-fhir-sample.py").path
}
