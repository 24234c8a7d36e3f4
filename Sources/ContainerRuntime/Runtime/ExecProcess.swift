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
        return ExecProcess(pid: pid, stdout: out.read, stderr: err.read, stdin: input?.write ?? -1)
    }

    private init(pid: pid_t, stdout: Int32, stderr: Int32, stdin: Int32) {
        self.pid = pid
        self.stdin = Mutex(stdin)
        let (output, continuation) = AsyncStream.makeStream(of: Output.self)
        self.output = output
        Thread.detachNewThread {
            FilePipe.readUntilEnd([stdout, stderr]) { index, chunk in
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
