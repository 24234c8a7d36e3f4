import ArgumentParser
import Glibc

/// `skiff pause` (hidden): the process of a pod's sandbox container. It holds the pod's namespaces, reaps
/// children that end up with it (it is the init of its PID namespace), and exits 0 on SIGTERM or SIGINT.
///
/// Handlers (not a blocked-signal wait) because it runs as PID 1 of its namespace, where a signal without a
/// handler is dropped, and because any thread of the process may take a process-directed signal.
struct PauseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause", abstract: "Hold a pod's namespaces (the sandbox's process).", shouldDisplay: false)

    func run() throws {
        signal(SIGTERM) { _ in _exit(0) }
        signal(SIGINT) { _ in _exit(0) }
        signal(SIGCHLD) { _ in
            while waitpid(-1, nil, WNOHANG) > 0 {}
        }
        while true {
            Glibc.pause()
        }
    }
}
