import Foundation
import Glibc

/// The cluster token (`<data-dir>/token`): created at the server's first start (32 random bytes, hex, mode
/// 0600), it authenticates agents that join with `skiff agent --token`.
enum ClusterToken {
    static let agentUser = "skiff:agent"
    static let agentGroups = ["system:nodes", "system:authenticated"]

    /// The token in `directory`, created when missing; a `given` token (`--token`) replaces what is there.
    static func loadOrCreate(directory: URL, given: String? = nil) throws -> String {
        let path = directory.appendingPathComponent("token").path
        let stored = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let given {
            if given != stored { try store(given, at: path) }
            return given
        }
        if let stored, !stored.isEmpty { return stored }
        var generator = SystemRandomNumberGenerator()
        let token = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        try store(token, at: path)
        return token
    }

    /// Writes the token file with mode 0600.
    private static func store(_ token: String, at path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        defer { close(fd) }
        fchmod(fd, 0o600)
        let bytes = Array((token + "\n").utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }
}
