import Foundation
import Glibc

/// The cluster token (`<data-dir>/token`): created at the server's first start (32 random bytes, hex, mode
/// 0600), it authenticates agents that join with `skiff agent --token`.
enum ClusterToken {
    static let agentUser = "skiff:agent"
    static let agentGroups = ["system:nodes", "system:authenticated"]

    /// The token in `directory`, created when missing.
    static func loadOrCreate(directory: URL) throws -> String {
        let path = directory.appendingPathComponent("token").path
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !token.isEmpty { return token }
        }
        var generator = SystemRandomNumberGenerator()
        let token = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        defer { close(fd) }
        fchmod(fd, 0o600)
        let bytes = Array((token + "\n").utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        return token
    }
}
