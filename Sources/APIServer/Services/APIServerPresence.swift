import Foundation
import Storage

/// Which API servers of the cluster are alive, for the `kubernetes` Service's endpoints (kube-apiserver's
/// lease endpoint reconciler): each server keeps a store key `/registry/skiff/apiservers/<address>` holding its
/// port and the wall-clock time of its last renewal, renews it every round, and removes it when it stops.
///
/// Contract: `live(now:)` is every address renewed within `ttl` (entries older than that belong to servers
/// that died and are deleted by whoever notices); the result is sorted, so every server computes the same list
/// and writes of the Endpoints converge. Clocks of the servers must agree to well within `ttl`.
struct APIServerPresence: Sendable {
    static let prefix = "/registry/skiff/apiservers/"

    let store: any KeyValueStore
    let address: String
    let port: Int
    let ttl: Duration

    struct Entry: Codable, Equatable {
        var port: Int
        var renewedAt: Double
    }

    /// Writes (or refreshes) this server's entry.
    func renew(now: Date = Date()) async throws {
        let value = try JSONEncoder().encode(Entry(port: port, renewedAt: now.timeIntervalSince1970))
        let key = Self.prefix + address
        do {
            try await store.create(key, value: value)
        } catch StoreError.alreadyExists {
            try await store.update(key, value: value, expectedRevision: nil)
        } catch StoreError.conflict {
            try await store.update(key, value: value, expectedRevision: nil)
        }
    }

    /// The addresses of the live servers, this one included once renewed; expired entries are deleted.
    func live(now: Date = Date()) async throws -> [String] {
        let listed = try await store.list(prefix: Self.prefix, revision: nil, limit: nil, after: nil)
        var addresses: [String] = []
        let seconds = Double(ttl.components.seconds)
        for item in listed.items {
            let address = String(item.key.dropFirst(Self.prefix.count))
            if let entry = try? JSONDecoder().decode(Entry.self, from: item.value),
               now.timeIntervalSince1970 - entry.renewedAt <= seconds {
                addresses.append(address)
            } else {
                _ = try? await store.delete(item.key, expectedRevision: item.modRevision)
            }
        }
        return addresses.sorted()
    }

    /// Removes this server's entry (graceful shutdown), so the others drop it at their next round.
    func withdraw() async {
        _ = try? await store.delete(Self.prefix + address, expectedRevision: nil)
    }
}
