import APIModel
import ContainerRuntime
import Foundation

/// The `Status` an exec ends with on channel 3, as the kubelet writes it: `Success` for exit code 0;
/// otherwise `NonZeroExitCode` with the code as the `ExitCode` cause (kubectl exits with it).
enum ExecStatus {
    static func success() -> Status {
        Status(metadata: ListMeta(), status: "Success")
    }

    static func exited(_ exit: ExitStatus, command: [String]) -> Status {
        guard exit.code != 0 else { return success() }
        let message = "command terminated with non-zero exit code: error executing command "
            + "[\(command.joined(separator: " "))], exit code \(exit.code)"
        return Status(metadata: ListMeta(),
                      details: StatusDetails(causes: [StatusCause(message: String(exit.code), reason: "ExitCode")]),
                      message: message, reason: "NonZeroExitCode", status: "Failure")
    }

    /// A failure before the command ran (it could not be started), with the backend's message.
    static func failure(_ error: PodStreamError) -> Status {
        let reason = switch error.code {
        case 400: "BadRequest"
        case 404: "NotFound"
        default: "InternalError"
        }
        return Status(metadata: ListMeta(), code: Int32(error.code), message: error.message, reason: reason,
                      status: "Failure")
    }

    /// The channel-3 message carrying `status`.
    static func message(_ status: Status) -> [UInt8] {
        [RemoteCommandProtocol.Channel.error.rawValue] + json(status)
    }

    /// `status` as JSON (what the SPDY error stream carries).
    static func json(_ status: Status) -> [UInt8] {
        Array((try? ModelJSON.encode(status)) ?? Data())
    }
}
