import APIModel
import Foundation

/// Namespace facts the handlers need without decoding a whole Namespace each time.
enum NamespaceKeys {
    static let prefix = "/registry/namespaces/"

    static func key(_ name: String) -> String { prefix + name }

    /// Whether a stored namespace is being deleted.
    static func isTerminating(_ data: Data) -> Bool {
        guard let ns = try? ModelJSON.decode(Namespace.self, from: data) else { return false }
        return ns.metadata?.deletionTimestamp != nil || ns.status?.phase == "Terminating"
    }

    /// A stored namespace with its phase set to Terminating.
    static func markTerminating(_ data: Data) throws -> Data {
        var ns = try ModelJSON.decode(Namespace.self, from: data)
        ns.status = ns.status ?? NamespaceStatus()
        ns.status?.phase = "Terminating"
        return try StoredEncoding.encode(ns)
    }
}
