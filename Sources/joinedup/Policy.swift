import Access
import ArgumentParser
import CareRecord

/// `joinedup policy`: prints the standard access policy, the table a deployment copies and
/// edits for `joinedup serve --policy FILE`, or checks such a file; with `--relationships`,
/// the same for the care relationships table (`serve --relationships FILE`).
struct Policy: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the standard access policy (what each role may read and write), or check a policy file; with --relationships, the table of care relationships.")

    @Option(help: "A policy file to check, as `serve --policy` would read it (with --relationships, a relationships file).")
    var check: String?

    @Flag(help: "The care relationships table (what joins staff to a person) instead of the access policy.")
    var relationships = false

    func run() throws {
        if relationships { return try runRelationships() }
        guard let check else { return print(AccessPolicy.standardJSON) }
        do {
            let policy = try AccessPolicy.load(from: check)
            print("\(check): policy \(policy.version), a row for each of the \(Role.all.count) roles.")
        } catch {
            throw ValidationError("\(check): \(error)")
        }
    }

    private func runRelationships() throws {
        guard let check else { return print(CareRelationships.standardJSON) }
        do {
            let table = try CareRelationships.load(from: check)
            print("\(check): relationships \(table.version), \(table.ruleNames.count) rules: \(table.ruleNames.joined(separator: "; ")).")
        } catch {
            throw ValidationError("\(check): \(error)")
        }
    }
}
