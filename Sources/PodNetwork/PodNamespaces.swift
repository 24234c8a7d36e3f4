import Foundation
import Glibc

/// The pods' network namespaces, each kept alive by a bind mount of its nsfs file at `<directory>/<name>`, as
/// `ip netns add` does under /var/run/netns.
///
/// Contract: `create` makes a fresh, empty namespace (only a down `lo`) and returns its path; creating a name that
/// already has a namespace fails. `remove` unmounts and deletes the file, and succeeds when there is nothing to
/// remove; the kernel frees the namespace (and the pod ends of its veths) once no process is left in it.
/// Names are restricted to `[A-Za-z0-9_.-]` (a pod UID fits), so a name can never reach outside `directory`.
public struct PodNamespaces: Sendable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public func path(of name: String) throws(PodNetworkError) -> String {
        guard Self.isValidName(name) else { throw .invalid("invalid network namespace name \"\(name)\"") }
        return directory + "/" + name
    }

    /// Creates the namespace `name` and returns its path.
    public func create(_ name: String) async throws(PodNetworkError) -> String {
        let path = try path(of: name)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .invalid("cannot create \(directory): \(error)")
        }
        let fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o444)
        guard fd >= 0 else {
            throw .invalid("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        close(fd)
        // `unshare --net=FILE` runs `true` in a new network namespace and bind-mounts it onto FILE.
        let output = try await CommandRunner.run(["unshare", "--net=\(path)", "true"])
        guard output.succeeded else {
            unlink(path)
            throw .command(["unshare", "--net=\(path)"], output.message)
        }
        return path
    }

    /// Unmounts and deletes the namespace `name`; nothing to do is success.
    public func remove(_ name: String) throws(PodNetworkError) {
        let path = try path(of: name)
        _ = umount2(path, Int32(MNT_DETACH))
        guard unlink(path) == 0 || errno == ENOENT else {
            throw .invalid("cannot remove \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Whether the namespace `name` exists (its file is there).
    public func exists(_ name: String) -> Bool {
        guard let path = try? path(of: name) else { return false }
        return access(path, F_OK) == 0
    }

    /// The names of every namespace in `directory` (for reconciling after a crash).
    public func names() -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return entries.filter(Self.isValidName).sorted()
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 200 && !name.hasPrefix(".")
            && name.unicodeScalars.allSatisfy { $0.isASCII && (allowed.contains($0)) }
    }

    private static let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
}
