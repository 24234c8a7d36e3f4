import Foundation
import Glibc
import Synchronization

/// A process whose standard streams are pipes to the caller, for `kubectl exec`: standard input written
/// as it arrives, standard output and error read as they are written, then the exit status.
///
/// Started by `OCIRuntime.startExec` (`runc exec` in a container), or `start(_:stdin:)` for any command.
/// Threads of its own read the output and reap the process, so nothing blocks Swift concurrency's threads.
/// Stdin writes are serialised on a queue of their own and may block it while the process does not read.
public final class ExecProcess: Sendable {
    /// A chunk of output and the stream it came from.
    public struct Output: Sendable, Equatable {
        public var stream: CRILogFormat.Stream
        public var bytes: [UInt8]
    }

    /// The process id (of `runc exec`, for a container).
    public let pid: pid_t
    /// Every chunk of stdout and stderr as it is read; ends once both are closed (the process and every
    /// child holding them have exited).
    public let output: AsyncStream<Output>
    private let exit = Completion<ExitStatus>()
    private let stdin: Mutex<Int32>
    /// The terminal's master side (a descriptor of its own), for resizing; -1 without a terminal.
    private let terminal: Int32
    private let stdinQueue = DispatchQueue(label: "skiff.exec.stdin")

    /// Starts `arguments[0]` (an absolute path); with `stdin` false, its standard input is /dev/null.
    public static func start(_ arguments: [String], stdin: Bool) throws(RuntimeError) -> ExecProcess {
        _ = Subprocess.ignoreBrokenPipes
        var pipes: [FilePipe] = []
        do throws(Subprocess.Failure) {
            for _ in 0..<(stdin ? 3 : 2) { pipes.append(try FilePipe.make()) }
        } catch {
            pipes.forEach { close($0.read); close($0.write) }
            throw .system(error.description)
        }
        let (out, err) = (pipes[0], pipes[1])
        let input = stdin ? pipes[2] : nil
        let pid: pid_t
        do throws(Subprocess.Failure) {
            pid = try Subprocess.spawn(arguments, stdin: input?.read ?? -1, stdout: out.write, stderr: err.write)
        } catch {
            pipes.forEach { close($0.read); close($0.write) }
            throw .system(error.description)
        }
        [out.write, err.write].forEach { close($0) }
        if let input { close(input.read) }
        return ExecProcess(pid: pid, outputs: [out.read, err.read], stdin: input?.write ?? -1, terminal: -1)
    }

    /// Starts a runtime command that runs a process on a terminal and detaches (`runc exec -d --tty
    /// --console-socket <path> --pid-file <file>`, made by `command(socketPath, pidFile)`), and returns that
    /// process: its terminal is its stdin and its only output (`.stdout`). The process must become this
    /// process's child when the runtime exits (`Subreaper`, as `OCIRuntime` sets up).
    static func startOnTerminal(in directory: String,
                                _ command: (_ socketPath: String, _ pidFile: String) -> [String]) async throws(RuntimeError) -> ExecProcess {
        _ = Subprocess.ignoreBrokenPipes
        let socket = try ConsoleSocket(directory: directory)
        let pidFile = directory + "/exec-\(UUID().uuidString.prefix(8)).pid"
        defer { unlink(pidFile) }
        let errors: FilePipe
        let runtimePID: pid_t
        do throws(Subprocess.Failure) {
            errors = try FilePipe.make()
            do throws(Subprocess.Failure) {
                runtimePID = try Subprocess.spawn(command(socket.path, pidFile), stderr: errors.write)
            } catch {
                [errors.read, errors.write].forEach { close($0) }
                throw error
            }
        } catch {
            throw .system(error.description)
        }
        close(errors.write)
        let master: Int32? = await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: socket.receiveTerminal(timeout: .seconds(10))) }
        }
        let (status, message) = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var text = [UInt8]()
                FilePipe.readUntilEnd([errors.read]) { _, chunk in if let chunk { text += chunk } }
                let status = Subprocess.waitBlocking(for: runtimePID).map(ExitStatus.init(waitStatus:))
                continuation.resume(returning: (status, String(decoding: text, as: UTF8.self)))
            }
        }
        guard let master else { throw .system("no terminal from the runtime: \(message)") }
        guard status?.code == 0, let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
              let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            close(master)
            throw .commandFailed(command: "exec --tty", code: status?.code ?? -1, message: message)
        }
        let input = fcntl(master, F_DUPFD_CLOEXEC, 0)
        let terminal = fcntl(master, F_DUPFD_CLOEXEC, 0)
        return ExecProcess(pid: pid, outputs: [master], stdin: input, terminal: terminal)
    }

    /// `outputs`: stdout then, if there is one, stderr.
    private init(pid: pid_t, outputs: [Int32], stdin: Int32, terminal: Int32) {
        self.pid = pid
        self.stdin = Mutex(stdin)
        self.terminal = terminal
        let (output, continuation) = AsyncStream.makeStream(of: Output.self)
        self.output = output
        Thread.detachNewThread {
            FilePipe.readUntilEnd(outputs) { index, chunk in
                if let chunk { continuation.yield(Output(stream: index == 0 ? .stdout : .stderr, bytes: Array(chunk))) }
            }
            continuation.finish()
        }
        let exit = self.exit
        Thread.detachNewThread {
            exit.complete(Subprocess.waitBlocking(for: pid).map(ExitStatus.init(waitStatus:)) ?? ExitStatus(code: -1))
        }
    }

    deinit {
        let fd = stdin.withLock { $0 }
        if fd >= 0 { close(fd) }
        if terminal >= 0 { close(terminal) }
    }

    /// Sets the terminal's size (no effect without a terminal).
    public func resize(width: UInt16, height: UInt16) {
        if terminal >= 0 { _ = LinuxCalls.setWindowSize(terminal, rows: height, columns: width) }
    }

    /// Writes `bytes` to the process's standard input; false if it is closed (or was never open), or the
    /// process no longer reads it.
    @discardableResult
    public func write(_ bytes: [UInt8]) async -> Bool {
        await withCheckedContinuation { continuation in
            stdinQueue.async {
                let fd = self.stdin.withLock { $0 }
                continuation.resume(returning: fd >= 0 && Self.writeAll(fd, bytes))
            }
        }
    }

    /// Closes standard input (after the writes already made): the process reads end of file.
    public func closeStdin() {
        stdinQueue.async {
            let fd = self.stdin.withLock { fd in defer { fd = -1 }; return fd }
            if fd >= 0 { close(fd) }
        }
    }

    /// The exit status once the process has exited; `nil` if the waiting task is cancelled first.
    public func wait() async -> ExitStatus? { await exit.wait() }

    /// Sends `signal` to the process unless it has exited (for `runc exec`, runc passes it on).
    public func kill(_ signal: Int32 = SIGKILL) {
        if exit.value == nil { Glibc.kill(pid, signal) }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }
}
