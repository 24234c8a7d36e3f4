import APIModel
import Foundation
import Logging
import Storage

/// Finishes namespace deletion: once a namespace is Terminating, deletes every namespaced object in it,
/// then the namespace itself (Kubernetes' namespace controller, in its simplest form).
struct NamespaceCleaner: Sendable {
    let store: any KeyValueStore
    let cache: WatchCache
    let registry: ResourceRegistry
    let logger: Logger

    func run() async {
        while !Task.isCancelled {
            let filter = ObjectFilter(bucket: NamespaceKeys.prefix, prefix: NamespaceKeys.prefix,
                                      fields: FieldMatcher(matchingExactly: ["status.phase": "Terminating"]))
            guard let watch = try? cache.watch(filter, after: nil) else {
                try? await Task.sleep(for: .milliseconds(200))
                continue
            }
            for object in watch.initial { await finish(object.summary.name) }
            for await event in watch.events where event.kind != .deleted {
                await finish(event.object.summary.name)
            }
            watch.cancel()
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Deletes the namespace's content, then the namespace.
    func finish(_ namespace: String) async {
        do {
            for resource in registry.resources where resource.info.namespaced {
                var after: String? = nil
                repeat {
                    let page = try await store.list(prefix: resource.info.keyPrefix(namespace: namespace), revision: nil,
                                                    limit: 500, after: after)
                    for kv in page.items {
                        do { try await store.delete(kv.key, expectedRevision: nil) } catch StoreError.notFound {}
                    }
                    after = page.hasMore ? page.items.last?.key : nil
                } while after != nil
            }
            do { try await store.delete(NamespaceKeys.key(namespace), expectedRevision: nil) } catch StoreError.notFound {}
            logger.info("namespace \(namespace) deleted")
        } catch {
            logger.error("cleaning namespace \(namespace): \(error)")
        }
    }
}
