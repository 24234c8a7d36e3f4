import APIModel
import ControllerRuntime
import Foundation

/// Which DaemonSets to sync when DaemonSets, pods and nodes change (Kubernetes' `addPod`/`updatePod`/`deletePod`,
/// `addNode`/`updateNode`), and which of the controller's own creates and deletes those changes confirm.
extension DaemonSetController {
    func handle(_ event: InformerEvent<DaemonSet>) {
        switch event {
        case .added(let daemonSet), .updated(_, let daemonSet):
            queue.add(ObjectKey(daemonSet))
        case .deleted(let daemonSet):
            let key = ObjectKey(daemonSet)
            expectations.withLock { $0.forget(key) }
            queue.add(key)
        }
    }

    func handle(_ event: InformerEvent<Pod>) {
        switch event {
        case .added(let pod):
            if pod.metadata?.deletionTimestamp != nil { return podGone(pod) }
            if pod.controllerReference == nil { return selecting(pod).forEach { queue.add($0) } }
            guard let key = owner(of: pod) else { return }
            expectations.withLock { $0.creationObserved(key) }
            queue.add(key)
        case .updated(let old, let new):
            guard old.metadata?.resourceVersion != new.metadata?.resourceVersion else { return }
            if new.metadata?.deletionTimestamp != nil { return podGone(new) }
            if let oldKey = owner(of: old), old.controllerReference != new.controllerReference { queue.add(oldKey) }
            if new.controllerReference == nil {
                if old.metadata?.labels != new.metadata?.labels || old.controllerReference != nil {
                    selecting(new).forEach { queue.add($0) }
                }
                return
            }
            guard let key = owner(of: new) else { return }
            queue.add(key)
            // Becoming available takes minReadySeconds more; look again then.
            if !old.isReady && new.isReady, let minReady = daemonSets.get(key)?.spec?.minReadySeconds, minReady > 0 {
                queue.add(key, after: .seconds(Int(minReady)))
            }
        case .deleted(let pod):
            podGone(pod)
        }
    }

    func handle(_ event: InformerEvent<Node>) {
        switch event {
        case .added, .deleted:
            enqueueAll()
        case .updated(let old, let new):
            let changed = old.metadata?.labels != new.metadata?.labels || old.spec?.taints != new.spec?.taints
                || old.spec?.unschedulable != new.spec?.unschedulable
            if changed { enqueueAll() }
        }
    }

    private func enqueueAll() {
        for daemonSet in daemonSets.list() { queue.add(ObjectKey(daemonSet)) }
    }

    /// A pod deleted or being deleted: its DaemonSet's expected deletion, if any, happened.
    private func podGone(_ pod: Pod) {
        guard let key = owner(of: pod) else { return }
        let podKey = ObjectKey(pod).description
        expectations.withLock { $0.deletionObserved(key, podKey: podKey) }
        queue.add(key)
    }

    /// The DaemonSets in the pod's namespace whose (non-empty) selector matches it: who may adopt an orphan.
    private func selecting(_ pod: Pod) -> [ObjectKey] {
        let namespace = ObjectKey(pod).namespace
        let labels = pod.metadata?.labels ?? [:]
        return daemonSets.list { daemonSet in
            guard ObjectKey(daemonSet).namespace == namespace,
                  let selector = try? LabelMatcher.from(daemonSet.spec?.selector) else { return false }
            return !selector.isEverything && selector.matches(labels)
        }.map { ObjectKey($0) }
    }

    /// The key of the DaemonSet controlling the pod, if it is still that very object (same uid).
    private func owner(of pod: Pod) -> ObjectKey? {
        guard let reference = pod.controllerReference, reference.kind == "DaemonSet", let name = reference.name else { return nil }
        let key = ObjectKey(namespace: pod.metadata?.namespace, name: name)
        guard let daemonSet = daemonSets.get(key), daemonSet.metadata?.uid == reference.uid else { return nil }
        return key
    }
}
