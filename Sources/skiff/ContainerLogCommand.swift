import ArgumentParser
import ContainerRuntime
import Glibc

/// `skiff container-log` (hidden): a container's log shim (`ContainerLogShim`), started by the node agent with
/// the container's stdout pipe as fd 0 and its stderr pipe as fd 1.
struct ContainerLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "container-log", abstract: "Copy a container's output into its CRI log file.",
        shouldDisplay: false)

    @Option(name: .customLong("path"), help: "The container's log file.")
    var path: String

    @Option(name: .customLong("max-size"), help: "Rotate the file at this many bytes.")
    var maxSize: Int = 10 * 1024 * 1024

    @Option(name: .customLong("max-files"), help: "Keep this many files (the live one included).")
    var maxFiles: Int = 5

    func run() throws {
        Glibc.exit(ContainerLogShim.run(path: path, policy: LogRotation.Policy(maxSize: maxSize, maxFiles: maxFiles)))
    }
}
