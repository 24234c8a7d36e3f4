import APIModel
import ControllerRuntime

/// Which StatefulSets to sync when sets and pods change (Kubernetes' `addPod` / `updatePod` / `deletePod`).
extension StatefulSetController {
    func handle(_ event: InformerEvent<StatefulSet>) {
        switch event {
        case .added(let set), .updated(_, let set), .deleted(let set):
            queue.add(ObjectKey(set))
        }
    }

    func handle(_ event: InformerEvent<Pod>) {
        switch event {
        case .added(let pod), .deleted(let pod):
            enqueue(for: pod)
        case .updated(let old, let new):
            guard old.metadata?.resourceVersion != new.metadata?.resourceVersion else { return }
            if let oldKey = owner(of: old), old.controllerReference != new.controllerReference { queue.add(oldKey) }
            enqueue(for: new)
            // Becoming available takes minReadySeconds more; look again then.
            if !old.isReady && new.isReady, let key = owner(of: new),
               let minReady = statefulSets.get(key)?.spec?.minReadySeconds, minReady > 0 {
                queue.add(key, after: .seconds(Int(minReady)))
            }
        }
    }

    /// The pod's set, or for an orphan every set whose selector matches it (who may adopt it).
    private func enqueue(for pod: Pod) {
        if pod.controllerReference != nil {
            if let key = owner(of: pod) { queue.add(key) }
            return
        }
        let namespace = ObjectKey(pod).namespace
        let labels = pod.metadata?.labels ?? [:]
        for set in statefulSets.list(where: { set in
            guard ObjectKey(set).namespace == namespace, let selector = try? LabelMatcher.from(set.spec?.selector) else { return false }
            return !selector.isEverything && selector.matches(labels)
        }) {
            queue.add(ObjectKey(set))
        }
    }

    /// The key of the StatefulSet controlling the pod, if it is still that very object (same uid).
    private func owner(of pod: Pod) -> ObjectKey? {
        guard let reference = pod.controllerReference, reference.kind == "StatefulSet", let name = reference.name else { return nil }
        let key = ObjectKey(namespace: pod.metadata?.namespace, name: name)
        guard let set = statefulSets.get(key), set.metadata?.uid == reference.uid else { return nil }
        return key
    }
}
