import APIClient
import APIModel
import ControllerRuntime
import Foundation
import Synchronization

/// One DaemonSet's sync (Kubernetes' `syncDaemonSet`): history, then the plan from the caches, its creates and deletes,
/// old revisions cleaned up, and the status.
extension DaemonSetController {
    /// Syncs the DaemonSet at `key`; throws to be retried with backoff.
    func sync(_ key: ObjectKey) async throws {
        guard let daemonSet = daemonSets.get(key) else {
            expectations.withLock { $0.forget(key) }
            return
        }
        guard let selector = try? LabelMatcher.from(daemonSet.spec?.selector) else {
            logger.warning("DaemonSet \(key) has an invalid selector")
            return
        }
        if selector.isEverything {
            recorder.record(daemonSet, type: .warning, reason: "SelectingAll",
                            message: "This daemon set is selecting all pods. A non-empty selector is required.")
            return
        }
        guard daemonSet.metadata?.deletionTimestamp == nil else { return }
        let (current, history) = try await revisionControl.current(of: daemonSet, template: daemonSet.spec?.template,
                                                                   collisionCount: daemonSet.status?.collisionCount)
        let hash = current.metadata?.labels?[DaemonPodTemplate.revisionHashLabel] ?? ""
        let uid = daemonSet.metadata?.uid
        let candidates = pods.ownedOrAdoptable(by: daemonSet)
        let owned = try await podControl.claim(PodClaim(candidates, owner: daemonSet, selector: selector), owner: daemonSet)
        let nodes = self.nodes.list()
        guard expectations.withLock({ $0.satisfied(key, now: Date()) }) else {
            try await writeStatus(of: daemonSet, nodes: nodes, pods: owned, hash: hash, observeGeneration: false)
            return
        }
        let now = Date()
        let backoff = failedPodBackoff.withLock { $0 }
        func backoffKey(_ node: String) -> String {
            FailedPodBackoff.key(daemonSetUID: uid, observedGeneration: daemonSet.status?.observedGeneration, node: node)
        }
        let plan = DaemonSetPlan(daemonSet: daemonSet, nodes: nodes, pods: owned, hash: hash, now: now,
                                 burst: configuration.burst) { backoff.remaining(backoffKey($0), now: now) }
        if let retryAfter = plan.retryAfter { queue.add(key, after: .milliseconds(Int(retryAfter * 1000) + 1)) }
        for pod in plan.failed {
            let node = DaemonPodTemplate.targetNode(of: pod) ?? ""
            failedPodBackoff.withLock { $0.next(backoffKey(node), now: now) }
            recorder.record(daemonSet, type: .warning, reason: "FailedDaemonPod",
                            message: "Found failed daemon pod \(ObjectKey(pod)) on node \(node), will try to kill it")
        }
        let failure = await apply(plan, to: daemonSet, key: key, hash: hash)
        let live = Set(owned.compactMap { $0.metadata?.labels?[DaemonPodTemplate.revisionHashLabel] })
        try await revisionControl.cleanUp(history, limit: daemonSet.spec?.revisionHistoryLimit, liveHashes: live)
        try await writeStatus(of: daemonSet, nodes: nodes, pods: owned, hash: hash, observeGeneration: true)
        if let failure { throw failure }
    }

    // MARK: Pods

    /// Creates (slow-start batches) and deletes (concurrently) as planned; returns the first failure.
    private func apply(_ plan: DaemonSetPlan, to daemonSet: DaemonSet, key: ObjectKey, hash: String) async -> (any Error)? {
        expectations.withLock {
            $0.expect(key, creations: plan.createOn.count, deletions: plan.delete.map { ObjectKey($0).description }, now: Date())
        }
        var failure: (any Error)?
        if !plan.createOn.isEmpty {
            failure = await create(on: plan.createOn, for: daemonSet, key: key, hash: hash)
        }
        if !plan.delete.isEmpty, let error = await delete(plan.delete, of: daemonSet, key: key) {
            failure = failure ?? error
        }
        return failure
    }

    private func create(on nodes: [String], for daemonSet: DaemonSet, key: ObjectKey, hash: String) async -> (any Error)? {
        let template = DaemonPodTemplate.template(of: daemonSet, hash: hash)
        let (successes, error) = await podControl.create(nodes.count, owner: daemonSet) { index in
            DaemonPodTemplate.pod(for: daemonSet, from: template, node: nodes[index])
        }
        // The creates that failed or never ran will never be observed.
        if successes < nodes.count {
            expectations.withLock { expectations in
                for _ in successes..<nodes.count { expectations.creationObserved(key) }
            }
        }
        return error
    }

    private func delete(_ victims: [Pod], of daemonSet: DaemonSet, key: ObjectKey) async -> (any Error)? {
        return await podControl.delete(victims, owner: daemonSet) { pod in
            let podKey = ObjectKey(pod).description
            self.expectations.withLock { $0.deletionObserved(key, podKey: podKey) }
        }
    }

    // MARK: Status

    /// Writes the counts (and, when `observeGeneration`, the generation) if they changed; looks again after
    /// minReadySeconds while Ready pods are not yet available.
    private func writeStatus(of daemonSet: DaemonSet, nodes: [Node], pods: [Pod], hash: String,
                             observeGeneration: Bool) async throws {
        let counts = DaemonSetStatusCounts(daemonSet: daemonSet, nodes: nodes, pods: pods, hash: hash, now: Date())
        let generation = observeGeneration ? daemonSet.metadata?.generation : daemonSet.status?.observedGeneration
        if counts != DaemonSetStatusCounts(daemonSet.status) || generation != daemonSet.status?.observedGeneration {
            try await revisionControl.patchStatus(of: daemonSet, counts.mergePatch(observedGeneration: generation))
        }
        if let minReady = daemonSet.spec?.minReadySeconds, minReady > 0, counts.numberReady != counts.numberAvailable {
            queue.add(ObjectKey(daemonSet), after: .seconds(Int(minReady)))
        }
    }
}
