import Foundation

/// host-local IPAM's leases: one file per address in `<ipam data dir>/<network>/`, named by the address and
/// holding the owner's container ID (here the pod uid) on its first line.
enum IPLeases {
    /// Owner → address of every lease in `directory`.
    static func read(directory: String) -> [String: String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var owners: [String: String] = [:]
        for name in files where isIPv4(name) {
            guard let text = try? String(contentsOfFile: directory + "/" + name, encoding: .utf8),
                  let owner = parseOwner(text) else { continue }
            owners[owner] = name
        }
        return owners
    }

    static func parseOwner(_ text: String) -> String? {
        let first = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) }
        return first.flatMap { $0.isEmpty ? nil : $0 }
    }

    static func isIPv4(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
    }
}
