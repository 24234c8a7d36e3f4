/// The `PodExecOptions` of a `pods/exec` request, and of the node's `/exec` request the API server makes
/// from it (same parameter names; the container is in the node's path).
public struct PodExecQuery: Sendable, Equatable {
    public var container: String?
    public var command: [String]
    public var stdin: Bool
    public var stdout: Bool
    public var stderr: Bool
    public var tty: Bool

    public init(container: String? = nil, command: [String], stdin: Bool = false, stdout: Bool = true,
                stderr: Bool = true, tty: Bool = false) {
        self.container = container
        self.command = command
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.tty = tty
    }

    public init(_ parameters: QueryParameters) {
        container = parameters.first("container").flatMap { $0.isEmpty ? nil : $0 }
        command = parameters.values("command")
        stdin = parameters.bool("stdin")
        stdout = parameters.bool("stdout")
        stderr = parameters.bool("stderr")
        tty = parameters.bool("tty")
    }

    /// The node's query for these options.
    public var nodeParameters: QueryParameters {
        var items: [(name: String, value: String)] = []
        if stdin { items.append(("stdin", "1")) }
        if stdout { items.append(("stdout", "1")) }
        if stderr { items.append(("stderr", "1")) }
        if tty { items.append(("tty", "1")) }
        items += command.map { ("command", $0) }
        return QueryParameters(items)
    }
}
