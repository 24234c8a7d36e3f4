import APIModel
import ControllerRuntime
import Foundation

/// Which owners to sync when owners and pods change (Kubernetes' `addPod`/`updatePod`/`deletePod` handlers),
/// and which of the controller's own creates and deletes those changes confirm.
extension ReplicaController {
    func handle(_ event: InformerEvent<Owner>) {
        switch event {
        case .added(let owner), .updated(_, let owner):
            queue.add(ObjectKey(owner))
        case .deleted(let owner):
            let key = ObjectKey(owner)
            expectations.withLock { $0.forget(key) }
            queue.add(key)
        }
    }

    func handle(_ event: InformerEvent<Pod>) {
        switch event {
        case .added(let pod):
            if pod.metadata?.deletionTimestamp != nil { return podGone(pod) }
            if let reference = pod.controllerReference {
                guard let key = ownerKey(reference, of: pod) else { return }
                expectations.withLock { $0.creationObserved(key) }
                queue.add(key)
            } else {
                for key in ownersSelecting(pod) { queue.add(key) }
            }
        case .updated(let old, let new):
            guard old.metadata?.resourceVersion != new.metadata?.resourceVersion else { return }
            let labelsChanged = old.metadata?.labels != new.metadata?.labels
            if new.metadata?.deletionTimestamp != nil {
                podGone(new)
                if labelsChanged { podGone(old) }
                return
            }
            let oldReference = old.controllerReference, newReference = new.controllerReference
            let referenceChanged = oldReference != newReference
            if referenceChanged, let oldReference, let key = ownerKey(oldReference, of: old) { queue.add(key) }
            if let newReference {
                guard let key = ownerKey(newReference, of: new) else { return }
                queue.add(key)
                // Becoming available takes minReadySeconds more; look again then.
                if !old.isReady && new.isReady, let owner = owners.get(key), owner.minReadySeconds > 0 {
                    queue.add(key, after: .seconds(owner.minReadySeconds))
                }
                return
            }
            if labelsChanged || referenceChanged {
                for key in ownersSelecting(new) { queue.add(key) }
            }
        case .deleted(let pod):
            podGone(pod)
        }
    }

    /// A pod deleted or being deleted: its owner's expected deletion, if any, happened.
    private func podGone(_ pod: Pod) {
        guard let reference = pod.controllerReference, let key = ownerKey(reference, of: pod) else { return }
        let podKey = ObjectKey(pod).description
        expectations.withLock { $0.deletionObserved(key, podKey: podKey) }
        queue.add(key)
    }

    /// The key of the owner `reference` names, if it is of our kind and still the same object (same uid).
    private func ownerKey(_ reference: OwnerReference, of pod: Pod) -> ObjectKey? {
        guard reference.kind == Owner.groupVersionKind.kind, let name = reference.name else { return nil }
        let key = ObjectKey(namespace: pod.metadata?.namespace, name: name)
        guard let owner = owners.get(key), owner.isReferenced(by: reference) else { return nil }
        return key
    }

    /// The owners in the pod's namespace whose (non-empty) selector matches it: who may adopt an orphan.
    private func ownersSelecting(_ pod: Pod) -> [ObjectKey] {
        let namespace = ObjectKey(pod).namespace
        let labels = pod.metadata?.labels ?? [:]
        return owners.list { owner in
            guard ObjectKey(owner).namespace == namespace, let selector = try? owner.podSelector() else { return false }
            return !selector.isEverything && selector.matches(labels)
        }.map { ObjectKey($0) }
    }
}
