import Foundation

/// Reads a container's CRI log as the kubelet's `ReadLogs` serves `kubectl logs`: the rotated files oldest
/// first (`RotatedLogFiles`), then the live file; malformed records skipped; `P` records joined into their
/// line; then the stream and `since` filters, `tail`, timestamps and `limitBytes` of `LogReadOptions`.
///
/// `tail` counts whole lines after the stream and `since` filters. `--previous` is the caller's choice of
/// `path` (see `PodLogLayout`). Reading while the file rotates is best-effort: a rotation between listing the
/// rotated files and opening the live one may drop or repeat that file's lines.
public struct ContainerLogReader: Sendable {
    public let path: String
    public let options: LogReadOptions

    /// A reader of the log whose live file is `path` (e.g. `<podLogDir>/<container>/0.log`).
    public init(path: String, options: LogReadOptions = LogReadOptions()) {
        self.path = path
        self.options = options
    }

    /// The log as it is now; empty if there is no such file.
    public func read() -> [UInt8] {
        var state = FollowState(options: options, path: path)
        return state.initial()
    }

    /// The log as it is now, then what is appended to it as it grows and rotates, polling every
    /// `pollInterval`. Ends once `exited()` (the container has exited, so no more will be written) has
    /// returned true and the file has been drained after that, once `limitBytes` is reached, or when the
    /// consuming task is cancelled. Each element is a non-empty chunk of whole output lines.
    public func follow(pollInterval: Duration, exited: @escaping @Sendable () -> Bool) -> AsyncStream<[UInt8]> {
        let (stream, continuation) = AsyncStream.makeStream(of: [UInt8].self)
        let (options, path) = (options, path)
        let task = Task {
            var state = FollowState(options: options, path: path)
            var output = state.initial()
            while true {
                if !output.isEmpty { continuation.yield(output) }
                if state.renderer.exhausted || Task.isCancelled { break }
                let finalPass = exited()
                if !finalPass {
                    do { try await Task.sleep(for: pollInterval) } catch { break }
                }
                output = state.next()
                if finalPass {
                    if !output.isEmpty { continuation.yield(output) }
                    break
                }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}

/// The decoder, renderer and position of one read of a log.
private struct FollowState: ~Copyable {
    var decoder = CRILogDecoder()
    var renderer: LogLineRenderer
    var cursor: LogFileCursor

    init(options: LogReadOptions, path: String) {
        renderer = LogLineRenderer(options: options)
        cursor = LogFileCursor(path: path)
    }

    /// The output for the rotated files and the live file so far, with `tail` applied.
    mutating func initial() -> [UInt8] {
        var lines: [LogLine] = []
        for rotated in RotatedLogFiles.list(cursor.path) {
            let bytes = FileManager.default.contents(atPath: rotated.path) ?? Data()
            lines += decoder.feed(bytes).filter(renderer.includes)
        }
        lines += decoder.feed(cursor.readAvailable()).filter(renderer.includes)
        if let tail = renderer.options.tail { lines = Array(lines.suffix(max(0, tail))) }
        return renderer.render(lines)
    }

    /// The output for what has been appended since.
    mutating func next() -> [UInt8] { renderer.render(decoder.feed(cursor.readAvailable())) }
}
