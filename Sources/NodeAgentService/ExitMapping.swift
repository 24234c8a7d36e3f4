import ContainerRuntime
import Foundation
import NodeAgent

/// How a runtime exit becomes the worker's `ContainerExit`: the exit code (128 + signal for a signalled
/// process), `OOMKilled` when the cgroup's OOM counter rose; an exit the agent could not collect (an adopted
/// container, not its child) is reported with code 255 and a message saying so. Pure.
enum ExitMapping {
    static func exit(_ status: ExitStatus, adopted: Bool, finishedAt: Date) -> ContainerExit {
        if status.oomKilled {
            return ContainerExit(exitCode: status.code == ExitStatus.unknown.code && adopted ? 137 : status.code,
                                 reason: "OOMKilled", finishedAt: finishedAt)
        }
        if adopted, status == ExitStatus.unknown {
            return ContainerExit(exitCode: status.code, reason: "Unknown",
                                 message: "the container was adopted after an agent restart; its exit status is unknown",
                                 finishedAt: finishedAt)
        }
        return ContainerExit(exitCode: status.code, finishedAt: finishedAt)
    }
}
