import APIClient
import APIModel
import ControllerRuntime
import Foundation
import Logging

/// Kubernetes' StatefulSet controller: pods with stable identities `<set>-<ordinal>` (`StatefulPodIdentity`),
/// created, replaced, scaled down and rolled to new templates as `StatefulSetPlan` decides — OrderedReady one at a
/// time in ordinal order, or Parallel. Each template is recorded as a ControllerRevision `<set>-<hash>`
/// (`RevisionControl`); `status.currentRevision` / `updateRevision` name the revisions, pods carry their
/// `controller-revision-hash`. The status is written through the status subresource only when it changed. Events as
/// upstream words them: `SuccessfulCreate` "create Pod web-0 in StatefulSet web successful", `FailedCreate`,
/// `SuccessfulDelete`, `FailedDelete`, `RecreatingFailedPod`, `RecreatingTerminatedPod`.
///
/// Contracts:
/// - Sets are synced from a work queue by `configuration.workers` workers, never one by two at once; a failed sync is
///   retried with backoff. Every pod change of a set's pod syncs the set.
/// - No expectations: pod names are fixed, so a create the cache has not seen yet fails with AlreadyExists and a
///   repeated delete finds the pod gone; both are waited out.
/// - The pod informer (and optionally the StatefulSet informer) come from outside and are run by their owner; without
///   a StatefulSet informer the controller makes and runs its own. `run()` returns when cancelled.
/// - Its pods are those it claims (`PodClaim`): matching orphans are adopted, its pods that stop matching released.
/// - PersistentVolumeClaims (`volumeClaimTemplates`) are not made: out of scope.
public final class StatefulSetController: Sendable {
    public struct Configuration: Sendable {
        /// Sets synced concurrently (Kubernetes' `--concurrent-statefulset-syncs`).
        public var workers: Int

        public init(workers: Int = 2) {
            self.workers = workers
        }
    }

    /// The component events are recorded as.
    public static let component = "statefulset-controller"

    let client: KubernetesClient
    let pods: Informer<Pod>
    let statefulSets: Informer<StatefulSet>
    private let runsStatefulSetInformer: Bool
    let queue = WorkQueue<ObjectKey>()
    let recorder: EventRecorder
    let podControl: PodControl
    let revisionControl: RevisionControl
    let configuration: Configuration
    let logger: Logger

    public init(client: KubernetesClient, pods: Informer<Pod>, statefulSets: Informer<StatefulSet>? = nil,
                configuration: Configuration = .init(), logger: Logger = Logger(label: "skiff.statefulset-controller")) {
        self.client = client
        self.pods = pods
        self.statefulSets = statefulSets ?? Informer<StatefulSet>(client: client, logger: logger)
        self.runsStatefulSetInformer = statefulSets == nil
        self.recorder = EventRecorder(client: client, component: Self.component, logger: logger)
        self.podControl = PodControl(client: client, recorder: recorder)
        self.revisionControl = RevisionControl(client: client)
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            if runsStatefulSetInformer { group.addTask { await self.statefulSets.run() } }
            group.addTask { await self.recorder.run() }
            group.addTask { await self.queue.run() }
            group.addTask {
                for await event in self.statefulSets.subscribe() { self.handle(event) }
            }
            group.addTask {
                for await event in self.pods.subscribe() { self.handle(event) }
            }
            group.addTask {
                await self.statefulSets.waitForSync()
                await self.pods.waitForSync()
                await self.queue.runWorkers(self.configuration.workers, sync: { try await self.sync($0) },
                                            failed: { key, error in self.logger.debug("syncing StatefulSet \(key): \(error)") })
            }
            await group.waitForAll()
        }
    }
}
