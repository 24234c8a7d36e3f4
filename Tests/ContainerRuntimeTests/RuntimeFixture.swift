import APIModel
import Foundation
import Glibc
import Testing
@testable import ContainerRuntime

/// A scratch area for integration tests: a busybox rootfs, runtime state and bundle directories, a cgroup
/// parent, and every container and network namespace a test makes, all removed by `cleanUp()`.
final class RuntimeFixture: @unchecked Sendable {
    let directory: String
    let rootfs: String
    let runtime: OCIRuntime
    let prefix: String
    private var containerIDs: [String] = []
    private var namespaces: [String] = []

    /// Makes the fixture, or records an issue and returns nil when this is not root or no runtime is installed
    /// (these tests must fail, not skip, where they cannot run).
    static func make(preferring kind: RuntimeBinary.Kind = .runc) throws -> RuntimeFixture? {
        guard getuid() == 0 else {
            Issue.record("container runtime tests need root (CI runs them as root)")
            return nil
        }
        guard let binary = RuntimeBinary.detect(preferring: kind), binary.kind == kind else {
            Issue.record("\(kind) is not installed")
            return nil
        }
        return try RuntimeFixture(binary: binary)
    }

    private init(binary: RuntimeBinary) throws {
        prefix = "skiff-test-" + String(UUID().uuidString.prefix(8)).lowercased()
        directory = NSTemporaryDirectory() + prefix
        rootfs = directory + "/rootfs"
        try Self.makeBusyboxRootfs(at: rootfs)
        runtime = try OCIRuntime(binary: binary, stateDirectory: directory + "/state",
                                 bundleDirectory: directory + "/bundles",
                                 cgroups: CgroupLayout.belowOwnCgroup(prefix))
    }

    /// rootfs/bin/busybox plus the applets the tests use, and the directories runc mounts over.
    static func makeBusyboxRootfs(at rootfs: String) throws {
        let files = FileManager.default
        for directory in ["bin", "proc", "dev", "sys", "etc", "tmp"] {
            try files.createDirectory(atPath: rootfs + "/" + directory, withIntermediateDirectories: true)
        }
        try files.copyItem(atPath: "/usr/bin/busybox", toPath: rootfs + "/bin/busybox")
        for applet in ["sh", "echo", "sleep", "cat", "nc", "dd", "true", "seq", "httpd", "wget", "readlink"] {
            try files.createSymbolicLink(atPath: rootfs + "/bin/" + applet, withDestinationPath: "busybox")
        }
    }

    /// A spec for `command` in this fixture's rootfs.
    func spec(id: String, command: [String], sandbox: PodSandbox = PodSandbox(hostname: "test"),
              resources: ResourceRequirements? = nil) throws -> OCISpec {
        try SpecBuilder.build(ContainerSpecRequest(
            image: ImageConfig(env: ["PATH=/bin"]),
            container: Container(command: command, name: id, resources: resources),
            sandbox: sandbox, rootfs: rootfs, cgroupsPath: runtime.cgroups.cgroupsPath(forContainer: id)))
    }

    /// A container id unique to this fixture, remembered for clean-up.
    func containerID(_ name: String) -> String {
        let id = prefix + "-" + name
        containerIDs.append(id)
        return id
    }

    func logPath(_ id: String) -> String { directory + "/" + id + ".log" }

    func log(_ id: String) -> String {
        (try? String(contentsOfFile: logPath(id), encoding: .utf8)) ?? ""
    }

    /// Creates and starts a container running `command`; returns its id.
    func run(_ name: String, _ command: [String], sandbox: PodSandbox = PodSandbox(hostname: "test"),
             resources: ResourceRequirements? = nil) async throws -> String {
        let id = containerID(name)
        try await runtime.run(id: id, spec: spec(id: id, command: command, sandbox: sandbox, resources: resources),
                              logPath: logPath(id))
        return id
    }

    /// A new, empty network namespace (loopback up, nothing else); returns its path.
    func makeNetworkNamespace() throws -> String {
        let name = prefix
        try Self.command(["/usr/sbin/ip", "netns", "add", name])
        namespaces.append(name)
        try Self.command(["/usr/sbin/ip", "-n", name, "link", "set", "lo", "up"])
        return "/var/run/netns/" + name
    }

    /// Deletes every container, network namespace, cgroup directory and file this fixture made.
    func cleanUp() async {
        for id in containerIDs {
            do { try await runtime.delete(id: id) } catch { Issue.record("delete \(id): \(error)") }
        }
        for name in namespaces {
            try? Self.command(["/usr/sbin/ip", "netns", "delete", name])
        }
        runtime.cgroups.removeCreatedParents()
        try? FileManager.default.removeItem(atPath: directory)
    }

    static func command(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw RuntimeError.commandFailed(command: arguments.joined(separator: " "),
                                             code: process.terminationStatus, message: "")
        }
    }
}

/// Runs `body` with a fixture and always cleans up after it.
func withRuntimeFixture(preferring kind: RuntimeBinary.Kind = .runc,
                        _ body: (RuntimeFixture) async throws -> Void) async throws {
    guard let fixture = try RuntimeFixture.make(preferring: kind) else { return }
    do {
        try await body(fixture)
    } catch {
        await fixture.cleanUp()
        throw error
    }
    await fixture.cleanUp()
}
