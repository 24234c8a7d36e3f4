import APIClient
import APIModel
import ControllerRuntime
import Foundation

/// One StatefulSet's sync (Kubernetes' `syncStatefulSet`): revisions, claimed pods, the plan's creates and deletes,
/// old revisions cleaned up, and the status.
extension StatefulSetController {
    /// Syncs the set at `key`; throws to be retried with backoff.
    func sync(_ key: ObjectKey) async throws {
        guard let set = statefulSets.get(key), set.metadata?.deletionTimestamp == nil else { return }
        guard let selector = try? LabelMatcher.from(set.spec?.selector), !selector.isEverything else {
            logger.warning("StatefulSet \(key) has an invalid or empty selector")
            return
        }
        let (update, history) = try await revisionControl.current(of: set, template: set.spec?.template,
                                                                  collisionCount: set.status?.collisionCount)
        let current = (history.old + [update]).last { $0.metadata?.name == set.status?.currentRevision } ?? update
        let (currentName, updateName) = (current.metadata?.name ?? "", update.metadata?.name ?? "")
        let candidates = pods.ownedOrAdoptable(by: set)
        let owned = try await podControl.claim(PodClaim(candidates, owner: set, selector: selector), owner: set)
        let plan = StatefulSetPlan(set: set, pods: owned, currentRevision: currentName, updateRevision: updateName, now: Date())

        var failure: (any Error)?
        let currentTemplate = DaemonRevision.template(of: current) ?? set.spec?.template
        for creation in plan.create {
            let pod = creation.atUpdateRevision
                ? StatefulPodIdentity.pod(for: set, ordinal: creation.ordinal, template: set.spec?.template, hash: updateName)
                : StatefulPodIdentity.pod(for: set, ordinal: creation.ordinal, template: currentTemplate, hash: currentName)
            if let error = await create(pod, in: set) { failure = failure ?? error }
        }
        for pod in plan.delete {
            recordRecreation(of: pod, in: set)
            if let error = await delete(pod, of: set) { failure = failure ?? error }
        }
        // Revisions still in use: the current and update ones and those live pods carry (`truncateHistory`).
        let prefix = "\(set.metadata?.name ?? "")-"
        let inUse = Set((owned.map(StatefulPodIdentity.revision(of:)) + [currentName, updateName]).map { name in
            name.hasPrefix(prefix) ? String(name.dropFirst(prefix.count)) : name
        })
        try await revisionControl.cleanUp(history, limit: set.spec?.revisionHistoryLimit, liveHashes: inUse)
        try await writeStatus(plan.status, of: set)
        if let failure { throw failure }
    }

    /// Creates the pod, recording `SuccessfulCreate` / `FailedCreate`; one already there (not yet in the cache) is
    /// no failure.
    private func create(_ pod: Pod, in set: StatefulSet) async -> (any Error)? {
        let (name, setName) = (pod.metadata?.name ?? "", set.metadata?.name ?? "")
        do {
            _ = try await client.create(pod)
            recorder.record(set, type: .normal, reason: "SuccessfulCreate", message: "create Pod \(name) in StatefulSet \(setName) successful")
            return nil
        } catch let error as KubernetesClientError where error.code == 409 {
            return nil
        } catch {
            recorder.record(set, type: .warning, reason: "FailedCreate",
                            message: "create Pod \(name) in StatefulSet \(setName) failed error: \(PodControl.describe(error))")
            return error
        }
    }

    /// A finished pod about to be deleted to be recreated: `RecreatingFailedPod` (warning) or `RecreatingTerminatedPod`.
    private func recordRecreation(of pod: Pod, in set: StatefulSet) {
        let what = "StatefulSet \(ObjectKey(set)) is recreating"
        switch pod.status?.phase {
        case "Failed":
            recorder.record(set, type: .warning, reason: "RecreatingFailedPod", message: "\(what) failed Pod \(pod.metadata?.name ?? "")")
        case "Succeeded":
            recorder.record(set, type: .normal, reason: "RecreatingTerminatedPod",
                            message: "\(what) terminated Pod \(pod.metadata?.name ?? "")")
        default:
            break
        }
    }

    /// Deletes the pod, recording `SuccessfulDelete` / `FailedDelete`; one already gone is no failure.
    private func delete(_ pod: Pod, of set: StatefulSet) async -> (any Error)? {
        let (name, setName) = (pod.metadata?.name ?? "", set.metadata?.name ?? "")
        do {
            try await client.delete(Pod.self, name: name, namespace: pod.metadata?.namespace)
            recorder.record(set, type: .normal, reason: "SuccessfulDelete", message: "delete Pod \(name) in StatefulSet \(setName) successful")
            return nil
        } catch let error as KubernetesClientError where error.isNotFound {
            return nil
        } catch {
            recorder.record(set, type: .warning, reason: "FailedDelete",
                            message: "delete Pod \(name) in StatefulSet \(setName) failed error: \(PodControl.describe(error))")
            return error
        }
    }

    /// Merge-patches the status subresource when the counts, revisions or generation changed (conditions untouched).
    private func writeStatus(_ status: StatefulSetStatus, of set: StatefulSet) async throws {
        var observed = set.status ?? StatefulSetStatus()
        observed.conditions = nil
        guard observed != status else { return }
        let encoded = try ModelJSON.encode(status)
        try await revisionControl.patchStatus(of: set, .object(["status": try JSONValue(parsing: encoded)]))
    }
}
