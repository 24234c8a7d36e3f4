import APIClient
import APIModel
import Foundation

/// How DaemonSet and StatefulSet controllers keep their templates' ControllerRevisions (Kubernetes'
/// `constructHistory` / `getStatefulSetRevisions` and `cleanupHistory` / `truncateHistory`), with the decisions in
/// `DaemonRevision`.
struct RevisionControl: Sendable {
    let client: KubernetesClient

    /// The revision of `template`, created (or renumbered to be the newest) as needed, and the owner's history;
    /// duplicates are deleted. On a name collision with another template the owner's `status.collisionCount` is
    /// bumped and the conflict thrown, so that the sync is retried.
    func current<Owner: ServedKind>(of owner: Owner, template: PodTemplateSpec?,
                                    collisionCount: Int32?) async throws -> (ControllerRevision, DaemonRevision.History) {
        let namespace = owner.metadata?.namespace
        let revisions = try await client.listItems(ControllerRevision.self, namespace: namespace,
                                                   resource: .controllerrevisions).items.filter { revision in
            revision.metadata?.ownerReferences?.contains { $0.controller == true && $0.uid == owner.metadata?.uid } == true
        }
        let history = DaemonRevision.History(data: DaemonRevision.data(of: template), revisions: revisions)
        for duplicate in history.duplicates {
            try await delete(duplicate)
        }
        if var current = history.current {
            if (current.revision ?? 0) < history.nextRevision {
                current.revision = history.nextRevision
                current = try await client.update(current, resource: .controllerrevisions)
            }
            return (current, history)
        }
        let fresh = DaemonRevision.make(owner: owner, template: template, collisionCount: collisionCount,
                                        revision: history.nextRevision)
        do {
            return (try await client.create(fresh, resource: .controllerrevisions), history)
        } catch let error as KubernetesClientError where error.code == 409 {
            let existing = try await client.get(ControllerRevision.self, name: fresh.metadata?.name ?? "", namespace: namespace,
                                                resource: .controllerrevisions)
            if existing.data == fresh.data { return (existing, history) }
            let collisions = (collisionCount ?? 0) + 1
            try await patchStatus(of: owner, .object(["status": .object(["collisionCount": .int(Int64(collisions))])]))
            throw error
        }
    }

    /// Deletes the old revisions beyond `limit` (default 10) whose hash is not in `liveHashes`.
    func cleanUp(_ history: DaemonRevision.History, limit: Int32?, liveHashes: Set<String>) async throws {
        for revision in history.expired(limit: Int(limit ?? 10), liveHashes: liveHashes) {
            try await delete(revision)
        }
    }

    /// Deletes the revision; one already gone is no failure.
    func delete(_ revision: ControllerRevision) async throws {
        do {
            try await client.delete(name: revision.metadata?.name ?? "", namespace: revision.metadata?.namespace,
                                    resource: .controllerrevisions)
        } catch let error as KubernetesClientError where error.isNotFound {}
    }

    /// Merge-patches the owner's status subresource; an owner gone meanwhile is no failure.
    func patchStatus<Owner: ServedKind>(of owner: Owner, _ patch: JSONValue) async throws {
        let path = Owner.resourcePath.object(owner.metadata?.name ?? "", namespace: owner.metadata?.namespace) + "/status"
        let response = try await client.request(method: "PATCH", path: path, body: patch.serialized(),
                                                contentType: "application/merge-patch+json")
        guard response.isSuccess || response.status == 404 else {
            throw KubernetesClientError(httpStatus: response.status, body: response.body)
        }
    }
}
