import Access
import ArgumentParser

/// `joinedup policy`: prints the standard access policy, the table a deployment copies and
/// edits for `joinedup serve --policy FILE`, or checks such a file.
struct Policy: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the standard access policy (what each role may read and write), or check a policy file.")

    @Option(help: "A policy file to check, as `serve --policy` would read it.")
    var check: String?

    func run() throws {
        guard let check else { return print(AccessPolicy.standardJSON) }
        do {
            let policy = try AccessPolicy.load(from: check)
            print("\(check): policy \(policy.version), a row for each of the \(Role.all.count) roles.")
        } catch {
            throw ValidationError("\(check): \(error)")
        }
    }
}
