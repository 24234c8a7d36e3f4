import Foundation
import Glibc

/// What a finished command left: its exit code (128 + the signal number when a signal killed it) and everything it
/// wrote to standard output and standard error.
package struct CommandOutput: Sendable {
    package var exitCode: Int32
    package var stdout: Data
    package var stderr: Data

    package var succeeded: Bool { exitCode == 0 }

    /// Standard error, else standard output, as trimmed text: what to quote when the command failed.
    package var message: String {
        let text = String(decoding: stderr.isEmpty ? stdout : stderr, as: UTF8.self)
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Runs short-lived commands (`ip`, `nft`, `unshare`, CNI plugins) to completion, off Swift concurrency's threads.
///
/// Contract: `arguments[0]` is found on `PATH` unless it contains a slash; `input` (at most a socket buffer's worth,
/// far more than any config here) is the child's standard input, followed by end of file; `environment` replaces the
/// inherited one when given. Every descriptor this runner opens is close-on-exec, so concurrent runs (and other
/// spawns in this process) never inherit each other's pipes.
enum CommandRunner {
    static func run(_ arguments: [String], environment: [String: String]? = nil,
                    input: Data = Data()) async throws(PodNetworkError) -> CommandOutput {
        let stdin = try SocketPair()
        let stdout = try SocketPair()
        let stderr = try SocketPair()
        defer { [stdin, stdout, stderr].forEach { $0.closeBoth() } }
        guard stdin.send(input) else { throw .command(arguments, "cannot write its input") }
        stdin.closeParentEnd()
        let pid = try spawn(arguments, environment: environment,
                            stdio: [stdin.childEnd, stdout.childEnd, stderr.childEnd])
        [stdin, stdout, stderr].forEach { $0.closeChildEnd() }
        let readers = [stdout.parentEnd, stderr.parentEnd]
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let streams = drain(readers)
                continuation.resume(returning: CommandOutput(exitCode: reap(pid), stdout: streams[0],
                                                             stderr: streams[1]))
            }
        }
    }

    private static func spawn(_ arguments: [String], environment: [String: String]?,
                              stdio: [Int32]) throws(PodNetworkError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, source) in stdio.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, source, Int32(target))
        }
        let variables = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var argv = arguments.map { strdup($0) } + [nil]
        var envp = variables.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, arguments[0], &actions, nil, &argv, &envp)
        guard result == 0 else { throw .command(arguments, String(cString: strerror(result))) }
        return pid
    }

    /// Reads every descriptor to its end (blocking this thread), then closes it.
    private static func drain(_ fds: [Int32]) -> [Data] {
        var collected = fds.map { _ in Data() }
        var open = Set(fds.indices)
        var buffer = [UInt8](repeating: 0, count: 32 * 1024)
        while !open.isEmpty {
            var polls = fds.indices.map { pollfd(fd: open.contains($0) ? fds[$0] : -1, events: Int16(POLLIN),
                                                 revents: 0) }
            if poll(&polls, nfds_t(polls.count), -1) < 0 && errno != EINTR { break }
            for index in open where polls[index].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { recv(fds[index], $0.baseAddress, $0.count, 0) }
                if count > 0 {
                    collected[index].append(contentsOf: buffer[..<count])
                } else if count == 0 || errno != EINTR {
                    open.remove(index)
                }
            }
        }
        return collected
    }

    /// Waits for `pid`; its exit code, 128 + signal, or -1 if it was not our child.
    private static func reap(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) != pid {
            if errno != EINTR { return -1 }
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}

/// A close-on-exec Unix socket pair standing in for a pipe: `parentEnd` stays here, `childEnd` becomes one of the
/// child's standard streams.
private final class SocketPair {
    private(set) var parentEnd: Int32
    private(set) var childEnd: Int32

    init() throws(PodNetworkError) {
        var fds: [Int32] = [-1, -1]
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard socketpair(AF_UNIX, type, 0, &fds) == 0 else {
            throw .command(["socketpair"], String(cString: strerror(errno)))
        }
        parentEnd = fds[0]
        childEnd = fds[1]
    }

    /// Writes all of `data` to the parent end.
    func send(_ data: Data) -> Bool {
        var offset = 0
        while offset < data.count {
            let written = data.withUnsafeBytes { Glibc.send(parentEnd, $0.baseAddress! + offset, $0.count - offset,
                                                            Int32(MSG_NOSIGNAL)) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    func closeParentEnd() { close(&parentEnd) }
    func closeChildEnd() { close(&childEnd) }
    func closeBoth() { closeParentEnd(); closeChildEnd() }

    private func close(_ fd: inout Int32) {
        if fd >= 0 { _ = Glibc.close(fd) }
        fd = -1
    }
}
