/// Failures of the runtime driver.
public enum RuntimeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The runtime command exited unsuccessfully; `message` is its error output.
    case commandFailed(command: String, code: Int32, message: String)
    /// A process, pipe, file or directory could not be made.
    case system(String)
    /// The driver does not know this container (never created here, or already deleted).
    case unknownContainer(String)

    public var description: String {
        switch self {
        case .commandFailed(let command, let code, let message): "\(command) failed (exit \(code)): \(message)"
        case .system(let message): message
        case .unknownContainer(let id): "unknown container \(id)"
        }
    }
}
