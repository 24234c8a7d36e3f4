import APIClient
import APIModel
import ControllerRuntime
import Foundation

/// One Deployment's sync (Kubernetes' `syncDeployment`): deleted → status only; paused or resized → proportional
/// scaling; otherwise one step of its strategy's rollout; then the status.
extension DeploymentController {
    /// Syncs the Deployment at `key`; throws to be retried with backoff.
    func sync(_ key: ObjectKey) async throws {
        guard var deployment = deployments.get(key) else { return }
        guard let selector = deployment.spec?.selector, (try? LabelMatcher.from(selector))?.isEverything == false else {
            logger.warning("Deployment \(key) has an empty or invalid selector; not syncing it")
            return
        }
        var owned = try await claimReplicaSets(of: deployment)
        if deployment.metadata?.deletionTimestamp != nil {
            let new = try await syncNewReplicaSet(&deployment, &owned, create: false)
            return try await syncStatus(deployment, owned, new: new)
        }
        if let status = DeploymentProgress.pausedStatus(of: deployment, now: Date()) {
            deployment = try await writeStatus(status, of: deployment)
        }
        let bounds = deployment.rolloutBounds
        if deployment.isPaused || RolloutPlanner.isScalingEvent(bounds, all: owned.map(RolloutReplicaSet.init)) {
            return try await syncScale(&deployment, &owned)
        }
        if deployment.isRecreate {
            try await rolloutRecreate(&deployment, &owned, key: key)
        } else {
            try await rolloutRolling(&deployment, &owned, key: key)
        }
    }

    // MARK: Strategies

    /// `sync`: resize proportionally (a paused Deployment also cleans up its history), then the status.
    private func syncScale(_ deployment: inout Deployment, _ owned: inout [ReplicaSet]) async throws {
        let new = try await syncNewReplicaSet(&deployment, &owned, create: false)
        let old = owned.filter { $0.metadata?.uid != new?.metadata?.uid }
        let steps = RolloutPlanner.proportionalScale(deployment.rolloutBounds, recreate: deployment.isRecreate,
                                                     new: new.map(RolloutReplicaSet.init), old: old.map(RolloutReplicaSet.init),
                                                     statusReplicas: Int(deployment.status?.replicas ?? 0))
        try await apply(steps, of: deployment, to: &owned)
        if deployment.isPaused {
            try await cleanUpHistory(of: deployment, old: owned.filter { $0.metadata?.uid != new?.metadata?.uid })
        }
        try await syncStatus(deployment, owned, new: new)
    }

    /// `rolloutRolling`.
    private func rolloutRolling(_ deployment: inout Deployment, _ owned: inout [ReplicaSet], key: ObjectKey) async throws {
        guard let new = try await syncNewReplicaSet(&deployment, &owned, create: true) else { return }
        let newUID = new.metadata?.uid
        let current = owned.first { $0.metadata?.uid == newUID } ?? new
        let old = owned.filter { $0.metadata?.uid != newUID }
        let steps = RolloutPlanner.rollingUpdate(deployment.rolloutBounds, new: RolloutReplicaSet(current),
                                                 old: old.map(RolloutReplicaSet.init))
        try await apply(steps, of: deployment, to: &owned)
        if steps.isEmpty && DeploymentProgress.isComplete(deployment, deployment.status ?? DeploymentStatus()) {
            try await cleanUpHistory(of: deployment, old: old)
        }
        try await syncRolloutStatus(deployment, owned, newUID: newUID, key: key)
    }

    /// `rolloutRecreate`.
    private func rolloutRecreate(_ deployment: inout Deployment, _ owned: inout [ReplicaSet], key: ObjectKey) async throws {
        var new = try await syncNewReplicaSet(&deployment, &owned, create: false)
        let old = owned.filter { $0.metadata?.uid != new?.metadata?.uid }
        let action = RolloutPlanner.recreate(deployment.rolloutBounds, new: new.map(RolloutReplicaSet.init),
                                             old: old.map(RolloutReplicaSet.init), oldPodsRunning: oldPodsRunning(old))
        switch action {
        case .scale(let steps):
            try await apply(steps, of: deployment, to: &owned)
            if steps.contains(where: { $0.name != new?.metadata?.name }) {
                return try await syncRolloutStatus(deployment, owned, newUID: new?.metadata?.uid, key: key)
            }
        case .waitForOldPods:
            return try await syncRolloutStatus(deployment, owned, newUID: new?.metadata?.uid, key: key)
        case .createNewReplicaSet:
            new = try await syncNewReplicaSet(&deployment, &owned, create: true)
        case .none:
            break
        }
        if DeploymentProgress.isComplete(deployment, deployment.status ?? DeploymentStatus()) {
            try await cleanUpHistory(of: deployment, old: old)
        }
        try await syncRolloutStatus(deployment, owned, newUID: new?.metadata?.uid, key: key)
    }

    /// Whether any pod of the old ReplicaSets is still there (their status counts some, or a pod they control is
    /// neither Succeeded nor Failed).
    private func oldPodsRunning(_ old: [ReplicaSet]) -> Bool {
        if old.contains(where: { ($0.status?.replicas ?? 0) > 0 }) { return true }
        return old.compactMap { $0.metadata?.uid }.contains { uid in
            pods.list(controlledBy: uid).contains { $0.status?.phase != "Succeeded" && $0.status?.phase != "Failed" }
        }
    }

    // MARK: ReplicaSets

    /// The new ReplicaSet (`getNewReplicaSet`): the oldest whose template equals the Deployment's but for the hash,
    /// its revision raised above the old ones' and the Deployment's annotations copied; created when there is none
    /// and `create` is set. Keeps the Deployment's revision annotation and Progressing condition in step.
    private func syncNewReplicaSet(_ deployment: inout Deployment, _ owned: inout [ReplicaSet], create: Bool) async throws -> ReplicaSet? {
        let template = deployment.spec?.template
        let sorted = owned.sorted { RolloutReplicaSet($0).created < RolloutReplicaSet($1).created }
        let existing = sorted.first { PodTemplateHash.equalIgnoringHash($0.spec?.template, template) }
        let old = owned.filter { $0.metadata?.uid != existing?.metadata?.uid }
        let newRevision = (old.map(\.revision).max() ?? 0) + 1
        if var replicaSet = existing {
            let current = replicaSet.metadata?.annotations ?? [:]
            let annotations = DeploymentAnnotations.forNewReplicaSet(current, deployment: deployment, newRevision: newRevision, exists: true)
            if annotations != current || replicaSet.spec?.minReadySeconds != deployment.spec?.minReadySeconds {
                replicaSet.metadata?.annotations = annotations
                replicaSet.spec?.minReadySeconds = deployment.spec?.minReadySeconds
                replicaSet = try await client.update(replicaSet)
                replace(replicaSet, in: &owned)
            }
            try await setRevision(replicaSet.metadata?.annotations?[DeploymentAnnotations.revision], of: &deployment)
            if deployment.progressDeadlineSeconds != nil, deployment.status?.condition(DeploymentConditionReason.progressing) == nil {
                var status = deployment.status ?? DeploymentStatus()
                status.setCondition(DeploymentCondition(type: DeploymentConditionReason.progressing, status: "True",
                                                        reason: DeploymentConditionReason.foundNewReplicaSet,
                                                        message: "Found new replica set \"\(replicaSet.metadata?.name ?? "")\"", now: Date()))
                deployment = try await writeStatus(status, of: deployment)
            }
            return replicaSet
        }
        guard create else { return nil }
        let created = try await createNewReplicaSet(&deployment, old: old, revision: newRevision)
        replace(created.replicaSet, in: &owned)
        try await setRevision(String(newRevision), of: &deployment)
        if !created.existed, deployment.progressDeadlineSeconds != nil {
            var status = deployment.status ?? DeploymentStatus()
            status.setCondition(DeploymentCondition(type: DeploymentConditionReason.progressing, status: "True",
                                                    reason: DeploymentConditionReason.newReplicaSetCreated,
                                                    message: "Created new replica set \"\(created.replicaSet.metadata?.name ?? "")\"",
                                                    now: Date()))
            deployment = try await writeStatus(status, of: deployment)
        }
        return created.replicaSet
    }

    /// Creates the ReplicaSet of the Deployment's template, `<name>-<hash>`, sized by `newReplicaSetSize`. One of
    /// that name already there is used if it is this Deployment's with the same template; otherwise the collision
    /// count is raised (so the next try hashes to another name) and the sync fails.
    private func createNewReplicaSet(_ deployment: inout Deployment, old: [ReplicaSet],
                                     revision: Int) async throws -> (replicaSet: ReplicaSet, existed: Bool) {
        let name = deployment.metadata?.name ?? "", namespace = deployment.metadata?.namespace
        let template = deployment.spec?.template
        let hash = PodTemplateHash.compute(template, collisionCount: deployment.status?.collisionCount)
        var labels = template?.metadata?.labels ?? [:]
        labels[PodTemplateHash.labelKey] = hash
        var newTemplate = template ?? PodTemplateSpec()
        newTemplate.metadata = newTemplate.metadata ?? ObjectMeta()
        newTemplate.metadata?.labels = labels
        var selector = deployment.spec?.selector ?? LabelSelector()
        selector.matchLabels = (selector.matchLabels ?? [:]).merging([PodTemplateHash.labelKey: hash]) { $1 }
        let replicaSetName = "\(name)-\(hash)"
        let fresh = RolloutReplicaSet(name: replicaSetName, replicas: 0)
        let size = RolloutPlanner.newReplicaSetSize(deployment.rolloutBounds, recreate: deployment.isRecreate, new: fresh,
                                                    all: old.map(RolloutReplicaSet.init) + [fresh])
        let annotations = DeploymentAnnotations.forNewReplicaSet([:], deployment: deployment, newRevision: revision, exists: false)
        let replicaSet = ReplicaSet(
            metadata: ObjectMeta(annotations: annotations, labels: labels, name: replicaSetName, namespace: namespace,
                                 ownerReferences: [deployment.controllerReference]),
            spec: ReplicaSetSpec(minReadySeconds: deployment.spec?.minReadySeconds, replicas: Int32(size), selector: selector,
                                 template: newTemplate))
        do {
            let created = try await client.create(replicaSet)
            if size > 0 {
                recorder.record(deployment, type: .normal, reason: "ScalingReplicaSet",
                                message: "Scaled up replica set \(replicaSetName) to \(size)")
            }
            return (created, false)
        } catch let error as KubernetesClientError where error.isAlreadyExists {
            let existing = try await client.get(ReplicaSet.self, name: replicaSetName, namespace: namespace)
            if existing.controllerUID == deployment.metadata?.uid,
               PodTemplateHash.equalIgnoringHash(existing.spec?.template, template) {
                return (existing, true)
            }
            var status = deployment.status ?? DeploymentStatus()
            status.collisionCount = (status.collisionCount ?? 0) + 1
            deployment = try await writeStatus(status, of: deployment)
            throw error
        }
    }

    /// Resizes as `steps` say, bringing the replicas annotations up to date; records `ScalingReplicaSet` for each
    /// change of size.
    private func apply(_ steps: [ScaleStep], of deployment: Deployment, to owned: inout [ReplicaSet]) async throws {
        let bounds = deployment.rolloutBounds
        for step in steps {
            guard var replicaSet = owned.first(where: { $0.metadata?.name == step.name }) else { continue }
            let current = replicaSet.metadata?.annotations ?? [:]
            let annotations = DeploymentAnnotations.withReplicas(current, bounds: bounds)
            let from = Int(replicaSet.spec?.replicas ?? 1)
            guard from != step.to || annotations != current else { continue }
            replicaSet.spec?.replicas = Int32(step.to)
            replicaSet.metadata?.annotations = annotations
            replicaSet = try await client.update(replicaSet)
            replace(replicaSet, in: &owned)
            if from != step.to {
                recorder.record(deployment, type: .normal, reason: "ScalingReplicaSet",
                                message: "Scaled \(step.to > from ? "up" : "down") replica set \(step.name) to \(step.to) from \(from)")
            }
        }
    }

    /// Deletes the old ReplicaSets `RolloutPlanner.historyToDelete` picks (`cleanupDeployment`).
    private func cleanUpHistory(of deployment: Deployment, old: [ReplicaSet]) async throws {
        let limit = deployment.spec?.revisionHistoryLimit.map(Int.init)
        for name in RolloutPlanner.historyToDelete(old: old.map(RolloutReplicaSet.init), limit: limit) {
            do {
                _ = try await client.delete(ReplicaSet.self, name: name, namespace: deployment.metadata?.namespace)
            } catch let error as KubernetesClientError where error.isNotFound {
                continue
            }
        }
    }

    private func replace(_ replicaSet: ReplicaSet, in owned: inout [ReplicaSet]) {
        owned.removeAll { $0.metadata?.uid == replicaSet.metadata?.uid }
        owned.append(replicaSet)
    }

    // MARK: Deployment writes

    /// Sets the Deployment's revision annotation (on the object, not its status), if it differs.
    private func setRevision(_ revision: String?, of deployment: inout Deployment) async throws {
        guard let revision, deployment.metadata?.annotations?[DeploymentAnnotations.revision] != revision else { return }
        let patch: JSONValue = .object(["metadata": .object([
            "annotations": .object([DeploymentAnnotations.revision: .string(revision)]),
            "resourceVersion": deployment.metadata?.resourceVersion.map { .string($0) } ?? .null,
        ])])
        deployment = try await client.patch(Deployment.self, name: deployment.metadata?.name ?? "",
                                            namespace: deployment.metadata?.namespace, mergePatch: patch.serialized())
    }

    /// `syncDeploymentStatus`: counts and the Available condition, written when changed.
    private func syncStatus(_ deployment: Deployment, _ owned: [ReplicaSet], new: ReplicaSet?) async throws {
        let newUID = new?.metadata?.uid
        let status = DeploymentProgress.status(of: deployment, all: owned.map(RolloutReplicaSet.init),
                                               new: owned.first { $0.metadata?.uid == newUID && newUID != nil }.map(RolloutReplicaSet.init),
                                               now: Date())
        if status != deployment.status { _ = try await writeStatus(status, of: deployment) }
    }

    /// `syncRolloutStatus`: the status with the Progressing and ReplicaFailure conditions, written when changed;
    /// when unchanged, a look again at the progress deadline is scheduled.
    private func syncRolloutStatus(_ deployment: Deployment, _ owned: [ReplicaSet], newUID: String?, key: ObjectKey) async throws {
        let now = Date()
        let new = owned.first { $0.metadata?.uid == newUID && newUID != nil }
        let failures = ([new].compactMap { $0 } + owned.filter { $0.metadata?.uid != newUID })
            .compactMap { $0.status?.conditions?.first { $0.type == ReplicaStatus.replicaFailure && $0.status == "True" } }
        let failure = failures.first.map {
            DeploymentCondition(lastTransitionTime: $0.lastTransitionTime, lastUpdateTime: $0.lastTransitionTime,
                                message: $0.message, reason: $0.reason, status: $0.status, type: $0.type)
        }
        let status = DeploymentProgress.rolloutStatus(of: deployment, all: owned.map(RolloutReplicaSet.init),
                                                      new: new.map(RolloutReplicaSet.init), replicaFailure: failure, now: now)
        if status != deployment.status {
            _ = try await writeStatus(status, of: deployment)
        } else if let after = DeploymentProgress.recheckAfter(deployment, status, now: now) {
            queue.add(key, after: .milliseconds(Int(after * 1000)))
        }
    }

    /// Replaces the status through the status subresource (failing on a newer Deployment); returns the result.
    private func writeStatus(_ status: DeploymentStatus, of deployment: Deployment) async throws -> Deployment {
        var updated = deployment
        updated.status = status
        let path = Deployment.resourcePath.object(deployment.metadata?.name ?? "", namespace: deployment.metadata?.namespace) + "/status"
        let response = try await client.request(method: "PUT", path: path, body: try ModelJSON.encode(updated))
        guard response.isSuccess else { throw KubernetesClientError(httpStatus: response.status, body: response.body) }
        return try ModelJSON.decode(Deployment.self, from: response.body)
    }
}
