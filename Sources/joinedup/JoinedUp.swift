import ArgumentParser

/// The `joinedup` command: one entry point for the server and the jobs that share its core.
@main
struct JoinedUp: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "joinedup",
        abstract: "One shared health and social care record for a local area.",
        subcommands: [Serve.self, Import.self, Bench.self]
    )
}
