import CareRecord
import FHIR

/// What a demo load stored, by type, and what it refused, named by type and id (a generated
/// resource has no file line to point at).
struct DemoLoadTally {
    private(set) var storedByType: [String: Int] = [:]
    private(set) var failures: [String] = []
    private(set) var failureCount = 0
    /// Enough to see what is wrong without a broken generator flooding the terminal.
    static let keptFailures = 20

    var stored: Int { storedByType.values.reduce(0, +) }

    var byTypeLine: String {
        storedByType.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    mutating func add(_ batch: [JSON], _ results: [Result<WriteResult, RecordError>]) {
        for (resource, result) in zip(batch, results) {
            switch result {
            case .success(let write):
                if let key = write.stored?.key { storedByType[key.type, default: 0] += 1 }
            case .failure(let error):
                failureCount += 1
                guard failures.count < Self.keptFailures else { continue }
                let type = resource["resourceType"]?.stringValue ?? "?"
                let id = resource["id"]?.stringValue ?? "(no id)"
                failures.append("  \(type)/\(id): " + error.issues.map(\.description).joined(separator: "; "))
            }
        }
    }
}
