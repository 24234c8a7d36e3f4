import APIClient
import APIModel
import ControllerRuntime
import Foundation

/// One owner's sync (Kubernetes' `syncReplicaSet`): plan from the caches, claim, manage, write the status.
extension ReplicaController {
    /// Syncs the owner at `key`; throws to be retried with backoff.
    func sync(_ key: ObjectKey) async throws {
        guard let owner = owners.get(key) else {
            expectations.withLock { $0.forget(key) }
            return
        }
        let now = Date()
        let manage = expectations.withLock { $0.satisfied(key, now: now) }
        let candidates = pods.ownedOrAdoptable(by: owner)
        let plan: ReplicaPlan
        do {
            // The owner's siblings (the ReplicaSets of its Deployment) and the pods they hold rank its deletions.
            let siblings = owner.controllerUID.map { owners.list(controlledBy: $0) } ?? []
            // (The namespace's orphans once, not once per sibling.)
            let siblingPods = siblings.isEmpty ? [] : siblings.flatMap { $0.metadata?.uid.map(pods.list(controlledBy:)) ?? [] }
                + pods.orphans(in: key.namespace)
            let related = ReplicaPlan.relatedPods(of: owner, owners: siblings, candidates: siblingPods)
            plan = try ReplicaPlan(owner: owner, candidates: candidates, related: related, manage: manage,
                                   burstReplicas: configuration.burstReplicas, now: now)
        } catch {
            logger.warning("\(Owner.groupVersionKind.kind) \(key) has an invalid selector: \(error)")
            return
        }
        let owned = try await podControl.claim(PodClaim(adopt: plan.adopt, release: plan.release, owned: plan.pods), owner: owner)
        var failure: (any Error)?
        if plan.create > 0 {
            failure = await create(plan.create, owner: owner, key: key)
        } else if !plan.delete.isEmpty {
            failure = await delete(plan.delete, owner: owner, key: key)
        }
        let status = ReplicaStatus.calculate(for: owner, pods: owned, failure: failure.map(PodControl.describe), now: Date())
        if status != owner.replicaStatus {
            try await write(status, of: owner)
        }
        if failure == nil && owner.minReadySeconds > 0 && status.readyReplicas == owner.desiredReplicas
            && status.availableReplicas != owner.desiredReplicas {
            queue.add(key, after: .seconds(owner.minReadySeconds))
        }
        if let failure { throw failure }
    }

    // MARK: Managing

    /// Creates `count` pods in slow-start batches; returns the first failure.
    private func create(_ count: Int, owner: Owner, key: ObjectKey) async -> (any Error)? {
        expectations.withLock { $0.expectCreations(key, count: count, now: Date()) }
        let pod = owner.newPod()
        let (successes, error) = await podControl.create(count, owner: owner) { _ in pod }
        // The creates that failed or never ran will never be observed.
        if successes < count {
            expectations.withLock { expectations in
                for _ in successes..<count { expectations.creationObserved(key) }
            }
        }
        return error
    }

    /// Deletes the pods concurrently; returns the first failure (a pod already gone is no failure).
    private func delete(_ victims: [Pod], owner: Owner, key: ObjectKey) async -> (any Error)? {
        expectations.withLock { $0.expectDeletions(key, podKeys: victims.map { ObjectKey($0).description }, now: Date()) }
        return await podControl.delete(victims, owner: owner) { pod in
            let podKey = ObjectKey(pod).description
            self.expectations.withLock { $0.deletionObserved(key, podKey: podKey) }
        }
    }

    // MARK: Status

    /// Writes the status through the status subresource; an owner gone meanwhile is no failure.
    private func write(_ status: ReplicaStatus, of owner: Owner) async throws {
        let path = Owner.resourcePath.object(owner.metadata?.name ?? "", namespace: owner.metadata?.namespace) + "/status"
        let response = try await client.request(method: "PATCH", path: path, body: status.mergePatch.serialized(),
                                                contentType: "application/merge-patch+json")
        guard response.isSuccess || response.status == 404 else {
            throw KubernetesClientError(httpStatus: response.status, body: response.body)
        }
    }
}
