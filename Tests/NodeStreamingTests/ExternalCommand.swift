import Foundation

/// Runs a client program (kubectl, python3) to completion without blocking Swift concurrency's threads.
enum ExternalCommand {
    struct Result {
        var code: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `executable` with `environment` added to ours; it is killed after `timeout`.
    static func run(_ executable: String, _ arguments: [String], input: String? = nil, environment: [String: String] = [:],
                    timeout: Duration = .seconds(60)) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let (out, err, inPipe) = (Pipe(), Pipe(), Pipe())
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        // Read while it runs (output beyond a pipe's buffer would otherwise block it), each on a thread of its own.
        async let stdout = readToEnd(out.fileHandleForReading)
        async let stderr = readToEnd(err.fileHandleForReading)
        let deadline = Task {
            try await Task.sleep(for: timeout)
            process.terminate()
        }
        defer { deadline.cancel() }
        let code: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
                if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
                try inPipe.fileHandleForWriting.close()
            } catch {
                continuation.resume(throwing: error)
            }
        }
        return Result(code: code, stdout: String(decoding: await stdout, as: UTF8.self),
                      stderr: String(decoding: await stderr, as: UTF8.self))
    }

    private static func readToEnd(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: handle.readDataToEndOfFile()) }
        }
    }
}
