import Foundation

/// This server's identity among the servers of one cluster (`<hostname>_<id>`, the id kept in
/// `<data-dir>/server-id`): the holder identity of its leader-election leases. Stable across restarts, so a
/// restarted leader takes its leases back without waiting for them to expire; distinct per data directory,
/// so two servers on one machine do not share it.
enum ServerIdentity {
    static func loadOrCreate(directory: URL, hostname: String) throws -> String {
        let file = directory.appendingPathComponent("server-id")
        if let text = try? String(contentsOf: file, encoding: .utf8) {
            let id = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !id.isEmpty { return "\(hostname)_\(id)" }
        }
        let id = UUID().uuidString.lowercased()
        try Data((id + "\n").utf8).write(to: file, options: .atomic)
        return "\(hostname)_\(id)"
    }
}
