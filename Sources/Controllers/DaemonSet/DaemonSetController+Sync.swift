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
        let (current, history) = try await currentRevision(of: daemonSet)
        let hash = current.metadata?.labels?[DaemonPodTemplate.revisionHashLabel] ?? ""
        let uid = daemonSet.metadata?.uid
        let candidates = pods.list { ObjectKey($0).namespace == key.namespace }
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
        try await cleanUp(history, of: daemonSet, pods: owned)
        try await writeStatus(of: daemonSet, nodes: nodes, pods: owned, hash: hash, observeGeneration: true)
        if let failure { throw failure }
    }

    // MARK: History

    /// The revision of the current template, created (or renumbered to be the newest) as needed; duplicates are
    /// deleted. On a name collision with another template the collision count is bumped and the sync retried.
    private func currentRevision(of daemonSet: DaemonSet) async throws -> (ControllerRevision, DaemonRevision.History) {
        let namespace = daemonSet.metadata?.namespace
        let revisions = try await client.listItems(ControllerRevision.self, namespace: namespace,
                                                   resource: .controllerrevisions).items.filter { revision in
            revision.metadata?.ownerReferences?.contains { $0.controller == true && $0.uid == daemonSet.metadata?.uid } == true
        }
        let history = DaemonRevision.History(daemonSet: daemonSet, revisions: revisions)
        for duplicate in history.duplicates {
            try await deleteRevision(duplicate)
        }
        if var current = history.current {
            if (current.revision ?? 0) < history.nextRevision {
                current.revision = history.nextRevision
                current = try await client.update(current, resource: .controllerrevisions)
            }
            return (current, history)
        }
        let fresh = DaemonRevision.make(for: daemonSet, revision: history.nextRevision)
        do {
            return (try await client.create(fresh, resource: .controllerrevisions), history)
        } catch let error as KubernetesClientError where error.code == 409 {
            let existing = try await client.get(ControllerRevision.self, name: fresh.metadata?.name ?? "", namespace: namespace,
                                                resource: .controllerrevisions)
            if existing.data == fresh.data { return (existing, history) }
            let collisions = (daemonSet.status?.collisionCount ?? 0) + 1
            try await patchStatus(of: daemonSet, .object(["status": .object(["collisionCount": .int(Int64(collisions))])]))
            throw error
        }
    }

    /// Deletes the old revisions beyond `revisionHistoryLimit` that no pod still runs.
    private func cleanUp(_ history: DaemonRevision.History, of daemonSet: DaemonSet, pods: [Pod]) async throws {
        let limit = Int(daemonSet.spec?.revisionHistoryLimit ?? 10)
        let live = Set(pods.compactMap { $0.metadata?.labels?[DaemonPodTemplate.revisionHashLabel] })
        for revision in history.expired(limit: limit, liveHashes: live) {
            try await deleteRevision(revision)
        }
    }

    private func deleteRevision(_ revision: ControllerRevision) async throws {
        do {
            try await client.delete(name: revision.metadata?.name ?? "", namespace: revision.metadata?.namespace,
                                    resource: .controllerrevisions)
        } catch let error as KubernetesClientError where error.isNotFound {}
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
            try await patchStatus(of: daemonSet, counts.mergePatch(observedGeneration: generation))
        }
        if let minReady = daemonSet.spec?.minReadySeconds, minReady > 0, counts.numberReady != counts.numberAvailable {
            queue.add(ObjectKey(daemonSet), after: .seconds(Int(minReady)))
        }
    }

    /// Merge-patches the status subresource; a DaemonSet gone meanwhile is no failure.
    private func patchStatus(of daemonSet: DaemonSet, _ patch: JSONValue) async throws {
        let path = DaemonSet.resourcePath.object(daemonSet.metadata?.name ?? "", namespace: daemonSet.metadata?.namespace) + "/status"
        let response = try await client.request(method: "PATCH", path: path, body: patch.serialized(),
                                                contentType: "application/merge-patch+json")
        guard response.isSuccess || response.status == 404 else {
            throw KubernetesClientError(httpStatus: response.status, body: response.body)
        }
    }
}
