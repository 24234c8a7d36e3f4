import ArgumentParser

/// The `skiff` command: one binary for the server and its tools.
@main
struct Skiff: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "skiff",
        abstract: "Kubernetes, rewritten in Swift: a small, fast, kubectl-compatible cluster.",
        version: "skiff version v\(version) (Kubernetes API v1.32)",
        subcommands: [ServerCommand.self, AgentCommand.self, SimCommand.self, BenchCommand.self, ImagesCommand.self,
                      PauseCommand.self, ContainerLogCommand.self])
}
