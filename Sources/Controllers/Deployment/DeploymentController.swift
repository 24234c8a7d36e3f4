import APIClient
import APIModel
import ControllerRuntime
import Foundation
import Logging

/// Kubernetes' Deployment controller: it rolls a Deployment's pod template out through ReplicaSets named
/// `<deployment>-<pod-template-hash>` (see `PodTemplateHash`), creating the new one, resizing new and old as the
/// strategy allows (`RolloutPlanner`: RollingUpdate within maxSurge and maxUnavailable, or Recreate), sharing a
/// change of `spec.replicas` out proportionally, keeping the revision annotations that `kubectl rollout history`
/// and `undo` read, deleting old empty ReplicaSets beyond `revisionHistoryLimit`, and writing the Deployment's
/// status (`DeploymentProgress`) through the status subresource when it changed. Events: `ScalingReplicaSet`.
///
/// Contracts:
/// - Deployments are synced from a work queue, one at a time per Deployment; a failed sync (a conflict with a
///   newer object included) is retried with backoff.
/// - A Deployment's ReplicaSets are those it controls (ownerReference with `controller: true` and its uid); it
///   adopts orphans its selector matches and releases those it no longer selects (`ReplicaSetClaim`).
/// - The ReplicaSet and pod informers come from outside and are run by their owner; the Deployment informer too,
///   when given, else the controller makes and runs its own. `run()` returns when cancelled.
public final class DeploymentController: Sendable {
    /// The component events are recorded as.
    public static let component = "deployment-controller"

    let client: KubernetesClient
    let deployments: Informer<Deployment>
    let replicaSets: Informer<ReplicaSet>
    let pods: Informer<Pod>
    private let runsDeploymentInformer: Bool
    let queue = WorkQueue<ObjectKey>()
    let recorder: EventRecorder
    let workers: Int
    let logger: Logger

    public init(client: KubernetesClient, replicaSets: Informer<ReplicaSet>, pods: Informer<Pod>,
                deployments: Informer<Deployment>? = nil, workers: Int = 5,
                logger: Logger = Logger(label: "skiff.deployment-controller")) {
        self.client = client
        self.replicaSets = replicaSets
        self.pods = pods
        self.deployments = deployments ?? Informer<Deployment>(client: client, logger: logger)
        self.runsDeploymentInformer = deployments == nil
        self.recorder = EventRecorder(client: client, component: Self.component, logger: logger)
        self.workers = workers
        self.logger = logger
    }

    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            if runsDeploymentInformer { group.addTask { await self.deployments.run() } }
            group.addTask { await self.recorder.run() }
            group.addTask { await self.queue.run() }
            group.addTask {
                for await event in self.deployments.subscribe() { self.handle(event) }
            }
            group.addTask {
                for await event in self.replicaSets.subscribe() { self.handle(event) }
            }
            group.addTask {
                for await event in self.pods.subscribe() { self.handle(event) }
            }
            group.addTask {
                await self.deployments.waitForSync()
                await self.replicaSets.waitForSync()
                await self.pods.waitForSync()
                await self.queue.runWorkers(self.workers, sync: { try await self.sync($0) },
                                            failed: { key, error in self.logger.debug("syncing Deployment \(key): \(error)") })
            }
            await group.waitForAll()
        }
    }


    // MARK: Events

    func handle(_ event: InformerEvent<Deployment>) {
        switch event {
        case .added(let deployment), .updated(_, let deployment), .deleted(let deployment):
            queue.add(ObjectKey(deployment))
        }
    }

    func handle(_ event: InformerEvent<ReplicaSet>) {
        switch event {
        case .added(let replicaSet):
            if let key = deploymentKey(of: replicaSet) {
                queue.add(key)
            } else {
                for key in deploymentsSelecting(replicaSet) { queue.add(key) }
            }
        case .deleted(let replicaSet):
            if let key = deploymentKey(of: replicaSet) { queue.add(key) }
        case .updated(let old, let new):
            let oldKey = deploymentKey(of: old), newKey = deploymentKey(of: new)
            if let oldKey, oldKey != newKey { queue.add(oldKey) }
            if let newKey {
                queue.add(newKey)
            } else if oldKey != nil || old.metadata?.labels != new.metadata?.labels {
                for key in deploymentsSelecting(new) { queue.add(key) }
            }
        }
    }

    /// A pod gone may let a Recreate rollout go on.
    func handle(_ event: InformerEvent<Pod>) {
        guard case .deleted(let pod) = event, let reference = pod.controllerReference, reference.kind == "ReplicaSet",
              let name = reference.name,
              let replicaSet = replicaSets.get(namespace: pod.metadata?.namespace, name: name),
              replicaSet.metadata?.uid == reference.uid, let key = deploymentKey(of: replicaSet),
              deployments.get(key)?.isRecreate == true else { return }
        queue.add(key)
    }

    /// The Deployment controlling `replicaSet`, if any.
    private func deploymentKey(of replicaSet: ReplicaSet) -> ObjectKey? {
        guard let reference = replicaSet.metadata?.ownerReferences?.first(where: { $0.controller == true }),
              reference.kind == Deployment.groupVersionKind.kind, let name = reference.name else { return nil }
        return ObjectKey(namespace: replicaSet.metadata?.namespace, name: name)
    }
}
