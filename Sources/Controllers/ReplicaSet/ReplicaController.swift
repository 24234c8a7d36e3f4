import APIClient
import APIModel
import ControllerRuntime
import Foundation
import Logging
import Synchronization

/// Kubernetes' ReplicaSet controller, serving ReplicaSets and ReplicationControllers alike: it keeps each
/// owner's number of active pods at `spec.replicas` — creating pods from the template (slow-start batches of
/// 1, 2, 4, …), deleting the surplus in `PodDeletionOrder`, adopting matching orphans and releasing pods that
/// stop matching (`ReplicaPlan`) — and writes the owner's status (`ReplicaStatus`) through the status
/// subresource when it changed. Events: `SuccessfulCreate`, `FailedCreate`, `SuccessfulDelete`, `FailedDelete`.
///
/// Contracts:
/// - Owners are synced from a work queue keyed by owner, by `configuration.workers` workers, never one owner by
///   two at once; a failed sync is retried with backoff.
/// - `ControllerExpectations` hold back creates and deletes while this controller's own earlier ones are not yet
///   in the pod informer, so it never over-creates or over-deletes on a stale cache.
/// - The pod informer (and optionally the owner informer) come from outside and are run by their owner;
///   without an owner informer the controller makes and runs its own. `run()` returns when cancelled.
public final class ReplicaController<Owner: ReplicaOwner>: Sendable {
    public struct Configuration: Sendable {
        /// Owners synced concurrently (Kubernetes' `--concurrent-replicaset-syncs`).
        public var workers: Int
        /// The most pods one sync creates or deletes.
        public var burstReplicas: Int

        public init(workers: Int = 5, burstReplicas: Int = ReplicaPlan.defaultBurstReplicas) {
            self.workers = workers
            self.burstReplicas = burstReplicas
        }
    }

    let client: KubernetesClient
    let pods: Informer<Pod>
    let owners: Informer<Owner>
    private let runsOwnerInformer: Bool
    let queue = WorkQueue<ObjectKey>()
    let expectations = Mutex(ControllerExpectations<ObjectKey>())
    let recorder: EventRecorder
    let podControl: PodControl
    let configuration: Configuration
    let logger: Logger

    public init(client: KubernetesClient, pods: Informer<Pod>, owners: Informer<Owner>? = nil,
                configuration: Configuration = .init(), logger: Logger = Logger(label: "skiff.\(Owner.controllerComponent)")) {
        self.client = client
        self.pods = pods
        self.owners = owners ?? Informer<Owner>(client: client, logger: logger)
        self.runsOwnerInformer = owners == nil
        self.recorder = EventRecorder(client: client, component: Owner.controllerComponent, logger: logger)
        self.podControl = PodControl(client: client, recorder: recorder)
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            if runsOwnerInformer { group.addTask { await self.owners.run() } }
            group.addTask { await self.recorder.run() }
            group.addTask { await self.queue.run() }
            group.addTask {
                for await event in self.owners.subscribe() { self.handle(event) }
            }
            group.addTask {
                for await event in self.pods.subscribe() { self.handle(event) }
            }
            group.addTask {
                await self.owners.waitForSync()
                await self.pods.waitForSync()
                await self.queue.runWorkers(self.configuration.workers, sync: { try await self.sync($0) },
                                            failed: { key, error in self.logger.debug("syncing \(Owner.groupVersionKind.kind) \(key): \(error)") })
            }
            await group.waitForAll()
        }
    }

}

/// The ReplicaSet controller (`apps/v1` ReplicaSets).
public typealias ReplicaSetController = ReplicaController<ReplicaSet>
/// The ReplicationController controller (`v1` ReplicationControllers), the same controller over the older kind.
public typealias ReplicationControllerController = ReplicaController<ReplicationController>
