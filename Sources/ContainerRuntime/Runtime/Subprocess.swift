import Foundation
import Glibc

/// Spawning processes with chosen standard streams, and waiting for children (including adopted orphans,
/// see `Subreaper`) without blocking Swift concurrency's threads.
enum Subprocess {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts `arguments[0]` (an absolute path) with fds 0, 1, 2 set to `stdin`, `stdout`, `stderr` (-1 means
    /// /dev/null). No other descriptor is inherited, close-on-exec or not (another part of the process may hold
    /// pipes without the flag, whose readers would otherwise wait for this child too; a long-lived child must not
    /// keep this process's sockets, e.g. a listening one, open after it ends). SIGPIPE is reset to its default in
    /// the child (this process may ignore it, see `ignoreBrokenPipes`). `newSession` starts it in a session of
    /// its own (`setsid`), out of reach of signals sent to our process group. Returns the child's pid.
    static func spawn(_ arguments: [String], stdin: Int32 = -1, stdout: Int32 = -1,
                      stderr: Int32 = -1, newSession: Bool = false) throws(Failure) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (source, target) in [(stdin, Int32(0)), (stdout, 1), (stderr, 2)] {
            if source >= 0 {
                posix_spawn_file_actions_adddup2(&actions, source, target)
            } else {
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            }
        }
        if !LinuxCalls.addCloseFrom(&actions, 3) {
            throw Failure(description: "cannot start \(arguments[0]): posix_spawn_file_actions_addclosefrom_np is unavailable")
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF) | (newSession ? Self.spawnSetsid : 0))
        var cArguments = arguments.map { strdup($0) } + [nil]
        var cEnvironment = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArguments + cEnvironment).forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, arguments[0], &actions, &attributes, &cArguments, &cEnvironment)
        guard result == 0 else {
            throw Failure(description: "cannot start \(arguments[0]): \(String(cString: strerror(result)))")
        }
        return pid
    }

    /// glibc's `POSIX_SPAWN_SETSID` (not imported into Swift).
    private static let spawnSetsid: Int16 = 0x80

    /// Makes writes to a pipe whose reader has gone fail with `EPIPE` instead of killing this process (as Go
    /// programs behave); children still start with SIGPIPE's default. Evaluated once.
    static let ignoreBrokenPipes: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// Waits for the child `pid` on a thread of its own and returns its raw wait status (`nil` when `pid` is not
    /// our child).
    static func wait(for pid: pid_t) async -> Int32? {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: waitBlocking(for: pid)) }
        }
    }

    /// `waitpid(pid)`, blocking the calling thread; the raw status, or `nil` (`ECHILD`: not our child).
    static func waitBlocking(for pid: pid_t) -> Int32? {
        var status: Int32 = 0
        while true {
            if waitpid(pid, &status, 0) == pid { return status }
            if errno != EINTR { return nil }
        }
    }

    /// Runs a command to completion, capturing its standard output and standard error (one thread reads both,
    /// then reaps the process).
    static func run(_ arguments: [String]) async throws(Failure) -> (status: ExitStatus, stdout: Data, stderr: Data) {
        let out = try FilePipe.make()
        let err = try FilePipe.make()
        let pid: pid_t
        do throws(Failure) {
            pid = try spawn(arguments, stdout: out.write, stderr: err.write)
        } catch {
            [out.read, out.write, err.read, err.write].forEach { close($0) }
            throw error
        }
        close(out.write)
        close(err.write)
        let (status, stdout, stderr) = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var output = [Data(), Data()]
                FilePipe.readUntilEnd([out.read, err.read]) { index, chunk in
                    if let chunk { output[index].append(contentsOf: chunk) }
                }
                continuation.resume(returning: (waitBlocking(for: pid), output[0], output[1]))
            }
        }
        guard let status else { throw Failure(description: "lost track of \(arguments[0]) (pid \(pid))") }
        return (ExitStatus(waitStatus: status), stdout, stderr)
    }
}

/// A close-on-exec pipe (read end, write end).
struct FilePipe {
    var read: Int32
    var write: Int32

    static func make() throws(Subprocess.Failure) -> FilePipe {
        var fds: [Int32] = [0, 0]
        guard LinuxCalls.pipe2(&fds, O_CLOEXEC) == 0 else {
            throw Subprocess.Failure(description: "pipe2: \(String(cString: strerror(errno)))")
        }
        return FilePipe(read: fds[0], write: fds[1])
    }

    /// Reads each of `fds` until its end of file, blocking the calling thread: `chunk` gets every piece read with
    /// the index of its fd, then `nil` for that index at its end. Closes the fds.
    static func readUntilEnd(_ fds: [Int32], _ chunk: (Int, ArraySlice<UInt8>?) -> Void) {
        var isOpen = Array(repeating: true, count: fds.count)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while isOpen.contains(true) {
            var polled = fds.indices.map { pollfd(fd: isOpen[$0] ? fds[$0] : -1, events: Int16(POLLIN), revents: 0) }
            if poll(&polled, nfds_t(polled.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            for index in fds.indices where isOpen[index] && polled[index].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(fds[index], $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count > 0 {
                    chunk(index, buffer[..<count])
                } else {
                    chunk(index, nil)
                    isOpen[index] = false
                    close(fds[index])
                }
            }
        }
        for index in fds.indices where isOpen[index] { close(fds[index]) }
    }
}
