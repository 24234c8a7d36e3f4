import APIModel
import Foundation
import Logging
import Storage

/// Deletes Events older than the event TTL (kube-apiserver's `--event-ttl`, 1 h by default). As in Kubernetes,
/// the TTL runs from the event's last write: the newest of its lastTimestamp, eventTime and creationTimestamp.
struct EventExpiry: Sendable {
    let store: any KeyValueStore
    let cache: WatchCache
    let ttl: Duration
    let interval: Duration
    let logger: Logger

    static let bucket = "/registry/events/"

    func run() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            await sweep(now: Date())
        }
    }

    /// Deletes every event whose last write is older than the TTL at `now`.
    func sweep(now: Date) async {
        let cutoff = now.addingTimeInterval(-Double(ttl.components.seconds))
        let events = cache.list(ObjectFilter(bucket: Self.bucket, prefix: Self.bucket), limit: nil, after: nil).items
        var expired = 0
        for object in events {
            guard let event = try? ModelJSON.decode(Event.self, from: object.data),
                  let written = Self.lastWrite(event), written < cutoff else { continue }
            do {
                try await store.delete(object.key, expectedRevision: object.revision)
                expired += 1
            } catch StoreError.conflict {
                continue  // written again since: its TTL starts over
            } catch StoreError.notFound {
                continue
            } catch {
                logger.warning("expiring event \(object.key): \(error)")
            }
        }
        if expired > 0 { logger.debug("expired \(expired) events") }
    }

    /// When the event was last written, as far as its timestamps tell.
    static func lastWrite(_ event: Event) -> Date? {
        [event.lastTimestamp?.date, event.eventTime?.date, event.metadata?.creationTimestamp?.date,
         event.series?.lastObservedTime?.date].compactMap { $0 }.max()
    }
}
