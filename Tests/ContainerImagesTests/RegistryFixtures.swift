import Foundation

@testable import ContainerImages

#if canImport(Glibc)
import Glibc
#endif

/// The repository's root, for its scripts.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A failure of the test environment (a missing program, a helper that failed), with what to do about it.
struct FixtureError: Error, CustomStringConvertible {
    let description: String
}

/// What `scripts/registry-fixture.py push` pushed.
struct PushedImage: Decodable {
    let manifest: Digest
    let index: Digest?
    let config: Digest
    let layers: [Digest]
}

/// A registry process on 127.0.0.1, stopped by PID.
protocol LoopbackRegistry {
    var process: Process { get }
    /// `127.0.0.1:<port>`.
    var host: String { get }
}

extension LoopbackRegistry {
    /// Pushes the oci-archive's image as `host/repository:tag` (see `scripts/registry-fixture.py push`).
    @discardableResult
    func push(_ archive: URL, repository: String = "skiff/busybox", tag: String, flags: [String] = []) throws -> PushedImage {
        let output = try runHelper(["push", archive.path, host, repository, tag] + flags)
        return try JSONDecoder().decode(PushedImage.self, from: output)
    }

    /// Stops the registry: SIGKILL to its PID (the test runner's threads block SIGTERM, and children inherit
    /// that mask), then waits.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

/// Debian's Distribution registry (`docker-registry serve`) with a temporary config and storage in `scratch`.
struct DistributionRegistry: LoopbackRegistry {
    let process = Process()
    let host: String
    /// Its stderr: the access log.
    let log: URL

    init(scratch: Scratch) throws {
        let binary = "/usr/bin/docker-registry"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw FixtureError(description: "\(binary) is missing: the registry pull tests need Debian's docker-registry (apt-get install -y docker-registry)")
        }
        host = "127.0.0.1:\(try freeLoopbackPort())"
        let storage = scratch.file("registry-data")
        try FileManager.default.createDirectory(at: storage, withIntermediateDirectories: true)
        let config = scratch.file("registry.yml")
        try """
        version: 0.1
        log: {level: warn, accesslog: {disabled: false}}
        storage: {filesystem: {rootdirectory: \(storage.path)}, delete: {enabled: true}, redirect: {disable: true}}
        http: {addr: "\(host)", secret: skiff-test}
        """.write(to: config, atomically: true, encoding: .utf8)
        log = scratch.file("registry.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", config.path]
        let output = try FileHandle(forWritingTo: log)
        process.standardOutput = output
        process.standardError = output
        try process.run()
    }

    /// How many access-log lines are `GET` requests for blobs.
    func blobGets() throws -> Int {
        try String(contentsOf: log, encoding: .utf8).split(separator: "\n").filter { $0.contains("\"GET /v2/") && $0.contains("/blobs/") }.count
    }
}

/// `scripts/registry-fixture.py serve`: an in-memory registry with optional auth and tampering.
struct FakeRegistry: LoopbackRegistry {
    let process = Process()
    let host: String
    /// One line per request: `METHOD PATH`, and `TOKEN <query> basic|anonymous` for the token server.
    let log: URL

    init(scratch: Scratch, options: [String] = []) throws {
        let portFile = scratch.file("fake-\(UUID().uuidString).port")
        log = scratch.file("fake-\(UUID().uuidString).log")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repositoryRoot.appendingPathComponent("scripts/registry-fixture.py").path,
                             "serve", "--port-file", portFile.path, "--log", log.path] + options
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while true {
            if let port = try? String(contentsOf: portFile, encoding: .utf8), !port.isEmpty {
                host = "127.0.0.1:\(port)"
                return
            }
            guard process.isRunning, Date() < deadline else {
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                throw FixtureError(description: "scripts/registry-fixture.py serve did not start")
            }
            usleep(50_000)
        }
    }

    /// The logged requests.
    func requests() throws -> [String] {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}

/// Runs `scripts/registry-fixture.py` with `arguments`; returns its stdout, or throws with its stderr.
func runHelper(_ arguments: [String]) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", repositoryRoot.appendingPathComponent("scripts/registry-fixture.py").path] + arguments
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let message = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw FixtureError(description: "registry-fixture.py \(arguments.first ?? ""): \(String(decoding: message, as: UTF8.self))")
    }
    return data
}

/// A TCP port on 127.0.0.1 that was free a moment ago (the kernel's pick for port 0).
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw FixtureError(description: "socket failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw FixtureError(description: "bind 127.0.0.1:0 failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}
