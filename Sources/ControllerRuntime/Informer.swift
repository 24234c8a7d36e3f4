import APIClient
import APIModel
import Foundation
import Logging
import Synchronization

/// A change an informer saw.
public enum InformerEvent<Object: Sendable>: Sendable {
    case added(Object)
    case updated(old: Object, new: Object)
    case deleted(Object)

    /// The object the event is about (the new version of an update).
    public var object: Object {
        switch self {
        case .added(let object), .deleted(let object): return object
        case .updated(_, let object): return object
        }
    }
}

/// Client-go's shared informer: lists a resource, then watches it from the list's resourceVersion, keeps
/// every object in a cache that readers query without touching the API, and tells subscribers what
/// changed. When the watch ends it resumes from the last resourceVersion seen; when that is too old (410
/// Gone) it lists again and reports the difference, so subscribers never miss a change's final state.
///
/// Contracts:
/// - `subscribe()` returns a stream that first replays the cache as `.added` (nothing before the first list)
///   and then gets every later change in order. Streams are unbounded: a slow subscriber costs memory, not
///   events. A subscriber ends its subscription by dropping its stream.
/// - `get`/`list` read the cache; `hasSynced` is true once the first list is in. `list(controlledBy:)` and
///   `orphans(in:)` read an index of the cache by controller (the owner reference with `controller: true`), so
///   a controller's sync reads its own objects and the adoptable ones, not its whole namespace.
/// - `run()` runs until its task is cancelled; failures are logged and retried with backoff.
public final class Informer<Object: ServedKind>: Sendable {
    private struct State {
        var objects: [ObjectKey: Object] = [:]
        /// The keys of the cached objects by `ControllerIndex` key.
        var byController: [String: Set<ObjectKey>] = [:]
        var synced = false
        var resourceVersion: String?
        var subscribers: [UUID: AsyncStream<InformerEvent<Object>>.Continuation] = [:]
        var syncWaiters: [CheckedContinuation<Void, Never>] = []

        mutating func index(_ key: ObjectKey, _ object: Object) {
            byController[ControllerIndex.key(of: object), default: []].insert(key)
        }

        mutating func unindex(_ key: ObjectKey, _ object: Object) {
            let indexKey = ControllerIndex.key(of: object)
            byController[indexKey]?.remove(key)
            if byController[indexKey]?.isEmpty == true { byController[indexKey] = nil }
        }

        func indexed(_ indexKey: String) -> [Object] {
            (byController[indexKey] ?? []).compactMap { objects[$0] }
        }
    }

    private let client: KubernetesClient
    private let namespace: String?
    private let labelSelector: String?
    private let fieldSelector: String?
    private let logger: Logger
    /// Decodes lists and events; leaves managedFields out unless asked to keep them.
    private let decoder: JSONDecoder
    private let state = Mutex(State())

    /// `keepsManagedFields` false (the default) caches objects without `metadata.managedFields`, as
    /// client-go's informers in Kubernetes' components trim them: less memory, much less decoding.
    public init(client: KubernetesClient, namespace: String? = nil, labelSelector: String? = nil,
                fieldSelector: String? = nil, keepsManagedFields: Bool = false, logger: Logger = Logger(label: "skiff.informer")) {
        self.decoder = keepsManagedFields ? JSONDecoder() : .skippingManagedFields()
        self.client = client
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.logger = logger
    }

    // MARK: Reading

    public var hasSynced: Bool { state.withLock { $0.synced } }

    /// Waits until the first list is in.
    public func waitForSync() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.synced { return true }
                state.syncWaiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }

    public func get(_ key: ObjectKey) -> Object? {
        state.withLock { $0.objects[key] }
    }

    public func get(namespace: String?, name: String) -> Object? {
        get(ObjectKey(namespace: namespace, name: name))
    }

    /// Every cached object (in no particular order).
    public func list() -> [Object] {
        state.withLock { Array($0.objects.values) }
    }

    /// The cached objects that pass `include`.
    public func list(where include: (Object) -> Bool) -> [Object] {
        state.withLock { $0.objects.values.filter(include) }
    }

    public var count: Int { state.withLock { $0.objects.count } }

    /// The cached objects whose controller (owner reference with `controller: true`) has `uid`.
    public func list(controlledBy uid: String) -> [Object] {
        state.withLock { $0.indexed(ControllerIndex.controlled(by: uid)) }
    }

    /// The cached objects of `namespace` that have no controller.
    public func orphans(in namespace: String?) -> [Object] {
        state.withLock { $0.indexed(ControllerIndex.orphans(in: namespace)) }
    }

    // MARK: Subscribing

    public func subscribe() -> AsyncStream<InformerEvent<Object>> {
        let (stream, continuation) = AsyncStream<InformerEvent<Object>>.makeStream()
        let id = UUID()
        state.withLock { state in
            for object in state.objects.values { continuation.yield(.added(object)) }
            state.subscribers[id] = continuation
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    // MARK: Running

    public func run() async {
        var failures = 0
        while !Task.isCancelled {
            do {
                if state.withLock({ $0.resourceVersion }) == nil { try await relist() }
                try await watchOnce()
                failures = 0
            } catch is CancellationError {
                break
            } catch let error as KubernetesClientError where error.code == 410 {
                state.withLock { $0.resourceVersion = nil }
            } catch {
                if Task.isCancelled { break }
                failures += 1
                logger.debug("informer for \(Object.resourcePath) retrying after: \(error)")
                let delay = min(5_000, 50 << min(failures, 7))
                try? await Task.sleep(for: .milliseconds(delay))
            }
        }
        // Finished outside the lock: finishing runs the streams' termination handlers, which take it.
        let subscribers = state.withLock { state in
            defer { state.subscribers.removeAll() }
            return Array(state.subscribers.values)
        }
        for continuation in subscribers { continuation.finish() }
    }

    private func listOptions(resourceVersion: String?) -> ListOptions {
        var options = ListOptions()
        options.labelSelector = labelSelector
        options.fieldSelector = fieldSelector
        options.resourceVersion = resourceVersion
        return options
    }

    /// Lists and replaces the cache, reporting the differences.
    private func relist() async throws {
        let (items, resourceVersion) = try await client.listItems(Object.self, namespace: namespace,
                                                                  options: listOptions(resourceVersion: nil), decoder: decoder)
        var fresh: [ObjectKey: Object] = [:]
        for item in items { fresh[ObjectKey(item)] = item }
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            for (key, object) in fresh {
                if let old = state.objects[key] {
                    if old.metadata?.resourceVersion != object.metadata?.resourceVersion {
                        publish(.updated(old: old, new: object), in: state)
                    }
                } else {
                    publish(.added(object), in: state)
                }
            }
            for (key, old) in state.objects where fresh[key] == nil { publish(.deleted(old), in: state) }
            state.objects = fresh
            state.byController = [:]
            for (key, object) in fresh { state.byController[ControllerIndex.key(of: object), default: []].insert(key) }
            state.resourceVersion = resourceVersion
            state.synced = true
            defer { state.syncWaiters.removeAll() }
            return state.syncWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    private func watchOnce() async throws {
        var options = listOptions(resourceVersion: state.withLock { $0.resourceVersion })
        options.allowWatchBookmarks = true
        options.timeoutSeconds = 300 + Int.random(in: 0..<60)
        let events = try await client.watch(Object.self, namespace: namespace, options: options, decoder: decoder)
        for try await event in events {
            switch event {
            case .added(let object), .modified(let object):
                apply(object, deleted: false)
            case .deleted(let object):
                apply(object, deleted: true)
            case .bookmark(let resourceVersion):
                state.withLock { $0.resourceVersion = resourceVersion }
            case .error(let status):
                throw KubernetesClientError(code: Int(status.code ?? 500), reason: status.reason ?? "",
                                            message: status.message ?? "", status: status)
            }
        }
    }

    private func apply(_ object: Object, deleted: Bool) {
        let key = ObjectKey(object)
        state.withLock { state in
            state.resourceVersion = object.metadata?.resourceVersion ?? state.resourceVersion
            if deleted {
                let old = state.objects.removeValue(forKey: key)
                state.unindex(key, old ?? object)
                publish(.deleted(old ?? object), in: state)
            } else if let old = state.objects.updateValue(object, forKey: key) {
                state.unindex(key, old)
                state.index(key, object)
                publish(.updated(old: old, new: object), in: state)
            } else {
                state.index(key, object)
                publish(.added(object), in: state)
            }
        }
    }

    private func publish(_ event: InformerEvent<Object>, in state: State) {
        for continuation in state.subscribers.values { continuation.yield(event) }
    }
}

/// The keys of the informer's index by controller: the controller's UID, or the namespace for objects that no
/// controller owns.
enum ControllerIndex {
    static func controlled(by uid: String) -> String { "uid/" + uid }
    static func orphans(in namespace: String?) -> String { "orphans/" + (namespace ?? "") }

    static func key<Object: KubernetesObject>(of object: Object) -> String {
        if let uid = object.metadata?.ownerReferences?.first(where: { $0.controller == true })?.uid {
            return controlled(by: uid)
        }
        return orphans(in: object.metadata?.namespace)
    }
}
