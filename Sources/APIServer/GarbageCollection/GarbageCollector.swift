import APIModel
import Foundation
import Logging
import Storage

/// Kubernetes' garbage collector, in process: follows every object through the watch cache, keeps the
/// `OwnershipGraph`, and carries out its actions against the store (compare-and-swap, retried).
///
/// Deletion propagation: Background (the default) deletes the owner at once and its dependents after;
/// Foreground and Orphan mark the owner with the `foregroundDeletion` / `orphan` finalizer, which this
/// collector removes once the dependents are gone / released.
struct GarbageCollector: Sendable {
    let store: any KeyValueStore
    let cache: WatchCache
    let registry: ResourceRegistry
    let logger: Logger

    /// The finalizer a DELETE with this propagation policy adds, if any.
    static func finalizer(for propagationPolicy: String?) -> String? {
        switch propagationPolicy {
        case "Foreground": return OwnershipGraph.foregroundDeletion
        case "Orphan": return OwnershipGraph.orphan
        default: return nil
        }
    }

    func run() async {
        let served = Set(registry.resources.map { "\($0.info.groupVersion)/\($0.info.kind)" })
        while !Task.isCancelled {
            guard let watch = try? cache.watch(.everything, after: nil) else {
                try? await Task.sleep(for: .milliseconds(200))
                continue
            }
            var graph = OwnershipGraph { apiVersion, kind in served.contains("\(apiVersion)/\(kind)") }
            for object in watch.initial { _ = graph.upsert(uid: object.summary.uid, node: Self.node(object)) }
            await perform(graph.pendingActions())
            for await event in watch.events {
                let actions: [OwnershipGraph.Action]
                switch event.kind {
                case .deleted: actions = graph.remove(uid: event.object.summary.uid)
                case .added, .modified: actions = graph.upsert(uid: event.object.summary.uid, node: Self.node(event.object))
                }
                await perform(actions)
            }
            watch.cancel()
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    private static func node(_ object: CachedObject) -> OwnershipGraph.Node {
        OwnershipGraph.Node(key: object.key, owners: object.summary.owners, finalizers: object.summary.finalizers,
                            isDeleting: object.summary.isDeleting)
    }

    private func perform(_ actions: [OwnershipGraph.Action]) async {
        for action in actions {
            do {
                try await perform(action)
            } catch {
                logger.warning("garbage collection step \(action) failed: \(error)")
            }
        }
    }

    /// Reads the object, edits its metadata, writes it back guarded by the revision read; gives up quietly
    /// when the object is gone or has become another object (a different uid).
    private func perform(_ action: OwnershipGraph.Action) async throws {
        let key: String
        let uid: String
        switch action {
        case .delete(let k, let u), .removeOwnerReferences(let k, let u, _), .removeFinalizer(let k, let u, _):
            key = k
            uid = u
        }
        for _ in 0..<5 {
            guard let kv = try await store.get(key) else { return }
            var object = try JSONValue(parsing: kv.value)
            var meta = object["metadata"]?.objectValue ?? [:]
            guard meta["uid"]?.stringValue == uid else { return }
            var finalizers = meta["finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? []
            var remove = false
            switch action {
            case .delete:
                if finalizers.isEmpty {
                    remove = true
                } else if meta["deletionTimestamp"] == nil {
                    meta["deletionTimestamp"] = .string(Time.now().description)
                    meta["deletionGracePeriodSeconds"] = .int(0)
                } else {
                    return
                }
            case .removeOwnerReferences(_, _, let owners):
                let kept = (meta["ownerReferences"]?.arrayValue ?? []).filter {
                    !owners.contains($0["uid"]?.stringValue ?? "")
                }
                meta["ownerReferences"] = kept.isEmpty ? nil : .array(kept)
            case .removeFinalizer(_, _, let finalizer):
                guard finalizers.contains(finalizer) else { return }
                finalizers.removeAll { $0 == finalizer }
                meta["finalizers"] = finalizers.isEmpty ? nil : .array(finalizers.map(JSONValue.string))
                remove = finalizers.isEmpty && meta["deletionTimestamp"] != nil
            }
            do {
                if remove {
                    try await store.delete(key, expectedRevision: kv.modRevision)
                } else {
                    meta["resourceVersion"] = nil
                    object = .object((object.objectValue ?? [:]).merging(["metadata": .object(meta)]) { $1 })
                    try await store.update(key, value: object.serialized(), expectedRevision: kv.modRevision)
                }
                return
            } catch StoreError.conflict {
                continue
            } catch StoreError.notFound {
                return
            }
        }
    }
}
