import APIClient
import APIModel
import ControllerRuntime
import Foundation
import Logging
import Synchronization

/// Kubernetes' DaemonSet controller: one pod of each DaemonSet on every node that should run it
/// (`DaemonNodeEligibility`), created with a required node affinity for that node so the scheduler places it, deleted
/// from nodes that no longer should run it or no longer exist; surplus and finished pods are deleted
/// (`DaemonSetPlan`). Template changes roll out by the update strategy: RollingUpdate (`DaemonRollingUpdate`, within
/// maxUnavailable / maxSurge) or OnDelete (new pods only where old ones were deleted). Each template is recorded as a
/// ControllerRevision (`DaemonRevision`); pods carry its `controller-revision-hash`. The status (`DaemonSetStatusCounts`)
/// is written through the status subresource when it changed. Events: `SuccessfulCreate`, `FailedCreate`,
/// `SuccessfulDelete`, `FailedDelete`, `FailedDaemonPod`, `SelectingAll`.
///
/// Contracts:
/// - DaemonSets are synced from a work queue by `configuration.workers` workers, never one by two at once; a failed
///   sync is retried with backoff. Any node change that can change eligibility (added, deleted, labels, taints,
///   unschedulable) syncs every DaemonSet.
/// - `ControllerExpectations` hold back creates and deletes while earlier ones are not yet in the pod informer.
/// - The pod and node informers (and optionally the DaemonSet informer) come from outside and are run by their
///   owner; without a DaemonSet informer the controller makes and runs its own. `run()` returns when cancelled.
/// - Its pods are those it claims (`PodClaim`): matching orphans are adopted, its pods that stop matching released.
public final class DaemonSetController: Sendable {
    public struct Configuration: Sendable {
        /// DaemonSets synced concurrently (Kubernetes' `--concurrent-daemonset-syncs`).
        public var workers: Int
        /// The most pods one sync creates, and the most it deletes.
        public var burst: Int

        public init(workers: Int = 2, burst: Int = DaemonSetPlan.defaultBurst) {
            self.workers = workers
            self.burst = burst
        }
    }

    /// The component events are recorded as.
    public static let component = "daemonset-controller"

    let client: KubernetesClient
    let pods: Informer<Pod>
    let nodes: Informer<Node>
    let daemonSets: Informer<DaemonSet>
    private let runsDaemonSetInformer: Bool
    let queue = WorkQueue<ObjectKey>()
    let expectations = Mutex(ControllerExpectations<ObjectKey>())
    let failedPodBackoff = Mutex(FailedPodBackoff())
    let recorder: EventRecorder
    let podControl: PodControl
    let revisionControl: RevisionControl
    let configuration: Configuration
    let logger: Logger

    public init(client: KubernetesClient, pods: Informer<Pod>, nodes: Informer<Node>, daemonSets: Informer<DaemonSet>? = nil,
                configuration: Configuration = .init(), logger: Logger = Logger(label: "skiff.daemonset-controller")) {
        self.client = client
        self.pods = pods
        self.nodes = nodes
        self.daemonSets = daemonSets ?? Informer<DaemonSet>(client: client, logger: logger)
        self.runsDaemonSetInformer = daemonSets == nil
        self.recorder = EventRecorder(client: client, component: Self.component, logger: logger)
        self.podControl = PodControl(client: client, recorder: recorder)
        self.revisionControl = RevisionControl(client: client)
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            if runsDaemonSetInformer { group.addTask { await self.daemonSets.run() } }
            group.addTask { await self.recorder.run() }
            group.addTask { await self.queue.run() }
            group.addTask {
                for await event in self.daemonSets.subscribe() { self.handle(event) }
            }
            group.addTask {
                for await event in self.pods.subscribe() { self.handle(event) }
            }
            group.addTask {
                for await event in self.nodes.subscribe() { self.handle(event) }
            }
            group.addTask {
                await self.daemonSets.waitForSync()
                await self.pods.waitForSync()
                await self.nodes.waitForSync()
                await self.queue.runWorkers(self.configuration.workers, sync: { try await self.sync($0) },
                                            failed: { key, error in self.logger.debug("syncing DaemonSet \(key): \(error)") })
            }
            await group.waitForAll()
        }
    }

}
