import APIModel
import Controllers
import Foundation
import Testing

/// Naming, revision annotations and the status of a Deployment, without I/O.
@Suite("Deployment naming, revisions and status")
struct DeploymentProgressTests {
    private static let now = Date(timeIntervalSince1970: 1_700_000_000)
    private static let template = PodTemplateSpec(metadata: ObjectMeta(labels: ["app": "web"]),
                                                  spec: PodSpec(containers: [Container(image: "nginx:1", name: "web")]))

    private func deployment(replicas: Int32 = 3, generation: Int64 = 2, status: DeploymentStatus? = nil,
                            annotations: [String: String]? = nil, paused: Bool? = nil) -> Deployment {
        Deployment(metadata: ObjectMeta(annotations: annotations, generation: generation, name: "web", namespace: "default", uid: "d-uid"),
                   spec: DeploymentSpec(paused: paused, progressDeadlineSeconds: 600, replicas: replicas, revisionHistoryLimit: 10,
                                        selector: LabelSelector(matchLabels: ["app": "web"]),
                                        strategy: DeploymentStrategy(rollingUpdate: RollingUpdateDeployment(maxSurge: "25%", maxUnavailable: "25%"),
                                                                     type: "RollingUpdate"),
                                        template: Self.template),
                   status: status)
    }

    @Test("The pod-template-hash is stable, safe-encoded, changes with the template and the collision count, ignores its own label")
    func hash() {
        let hash = PodTemplateHash.compute(Self.template, collisionCount: nil)
        #expect(hash == PodTemplateHash.compute(Self.template, collisionCount: nil))
        #expect(!hash.isEmpty && hash.allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) })
        #expect(hash != PodTemplateHash.compute(Self.template, collisionCount: 1))
        #expect(PodTemplateHash.compute(Self.template, collisionCount: 1) != PodTemplateHash.compute(Self.template, collisionCount: 2))
        var changed = Self.template
        changed.spec?.containers?[0].image = "nginx:2"
        #expect(hash != PodTemplateHash.compute(changed, collisionCount: nil))
        var labelled = Self.template
        labelled.metadata?.labels?[PodTemplateHash.labelKey] = hash
        #expect(PodTemplateHash.compute(labelled, collisionCount: nil) == hash)
        #expect(PodTemplateHash.equalIgnoringHash(labelled, Self.template))
        #expect(!PodTemplateHash.equalIgnoringHash(changed, Self.template))
    }

    @Test("A new ReplicaSet's annotations: the Deployment's copied, revision raised with history, replicas when created")
    func annotations() {
        let d = deployment(annotations: [DeploymentAnnotations.changeCause: "image 2", DeploymentAnnotations.revision: "1",
                                         "kubectl.kubernetes.io/last-applied-configuration": "{}"])
        let created = DeploymentAnnotations.forNewReplicaSet([:], deployment: d, newRevision: 2, exists: false)
        #expect(created == [DeploymentAnnotations.changeCause: "image 2", DeploymentAnnotations.revision: "2",
                            DeploymentAnnotations.desiredReplicas: "3", DeploymentAnnotations.maxReplicas: "4"])
        // A rollback makes revision 1 new again, as revision 3.
        let rolledBack = DeploymentAnnotations.forNewReplicaSet([DeploymentAnnotations.revision: "1"], deployment: d, newRevision: 3,
                                                                exists: true)
        #expect(rolledBack[DeploymentAnnotations.revision] == "3")
        #expect(rolledBack[DeploymentAnnotations.revisionHistory] == "1")
        #expect(rolledBack[DeploymentAnnotations.desiredReplicas] == nil)
        // Never lowered.
        let current = DeploymentAnnotations.forNewReplicaSet([DeploymentAnnotations.revision: "5"], deployment: d, newRevision: 3, exists: true)
        #expect(current[DeploymentAnnotations.revision] == "5")
    }

    @Test("Status counts the ReplicaSets; Available needs replicas - maxUnavailable available pods")
    func status() {
        let new = RolloutReplicaSet(name: "new", replicas: 2, currentReplicas: 2, readyReplicas: 1, availableReplicas: 1)
        let old = RolloutReplicaSet(name: "old", replicas: 1, currentReplicas: 2, readyReplicas: 2, availableReplicas: 2)
        let status = DeploymentProgress.status(of: deployment(), all: [old, new], new: new, now: Self.now)
        #expect(status.replicas == 4 && status.updatedReplicas == 2 && status.readyReplicas == 3 && status.availableReplicas == 3)
        #expect(status.unavailableReplicas == nil, "3 wanted, 3 available")
        #expect(status.observedGeneration == 2)
        #expect(status.condition("Available")?.status == "True")
        #expect(status.condition("Available")?.reason == "MinimumReplicasAvailable")
        let short = DeploymentProgress.status(of: deployment(replicas: 8), all: [old, new], new: new, now: Self.now)
        #expect(short.condition("Available")?.reason == "MinimumReplicasUnavailable")
    }

    @Test("Progressing: ReplicaSetUpdated while progressing, NewReplicaSetAvailable when complete, ProgressDeadlineExceeded after the deadline")
    func progressing() throws {
        let started = Self.now.addingTimeInterval(-100)
        let created = DeploymentCondition(type: "Progressing", status: "True", reason: "NewReplicaSetCreated",
                                          message: "Created new replica set \"web-abc\"", now: started)
        let before = DeploymentStatus(conditions: [created], observedGeneration: 2, replicas: 3)
        let half = RolloutReplicaSet(name: "web-abc", replicas: 2, currentReplicas: 2, readyReplicas: 1, availableReplicas: 1)
        let old = RolloutReplicaSet(name: "web-old", replicas: 2)
        let progressing = DeploymentProgress.rolloutStatus(of: deployment(status: before), all: [old, half], new: half,
                                                           replicaFailure: nil, now: Self.now)
        let condition = try #require(progressing.condition("Progressing"))
        #expect(condition.reason == "ReplicaSetUpdated")
        #expect(condition.message == "ReplicaSet \"web-abc\" is progressing.")
        #expect(condition.lastTransitionTime == Time(started), "still True: the transition time stays")
        #expect(condition.lastUpdateTime == Time(Self.now))

        let done = RolloutReplicaSet(name: "web-abc", replicas: 3)
        let complete = DeploymentProgress.rolloutStatus(of: deployment(status: progressing), all: [done], new: done,
                                                        replicaFailure: nil, now: Self.now)
        #expect(complete.condition("Progressing")?.reason == "NewReplicaSetAvailable")
        #expect(complete.condition("Progressing")?.message == "ReplicaSet \"web-abc\" has successfully progressed.")
        #expect(DeploymentProgress.isComplete(deployment(), complete))
        #expect(DeploymentProgress.recheckAfter(deployment(status: complete), complete, now: Self.now) == nil)

        // No progress since the stored status: a look again when the deadline passes, then timed out.
        let stuck = DeploymentProgress.rolloutStatus(of: deployment(status: progressing), all: [old, half], new: half,
                                                     replicaFailure: nil, now: Self.now.addingTimeInterval(10))
        #expect(stuck == progressing)
        #expect(DeploymentProgress.recheckAfter(deployment(status: progressing), stuck, now: Self.now.addingTimeInterval(10)) == 591)
        let late = DeploymentProgress.rolloutStatus(of: deployment(status: progressing), all: [old, half], new: half,
                                                    replicaFailure: nil, now: Self.now.addingTimeInterval(601))
        #expect(late.condition("Progressing")?.status == "False")
        #expect(late.condition("Progressing")?.reason == "ProgressDeadlineExceeded")
        #expect(late.condition("Progressing")?.message == "ReplicaSet \"web-abc\" has timed out progressing.")

        // A ReplicaSet's failure shows as the Deployment's ReplicaFailure condition.
        let failure = DeploymentCondition(type: "ReplicaFailure", status: "True", reason: "FailedCreate", message: "quota", now: Self.now)
        let failing = DeploymentProgress.rolloutStatus(of: deployment(status: progressing), all: [old, half], new: half,
                                                       replicaFailure: failure, now: Self.now)
        #expect(failing.condition("ReplicaFailure")?.reason == "FailedCreate")
    }

    @Test("Pausing and resuming set the Progressing condition to Unknown")
    func paused() {
        let paused = DeploymentProgress.pausedStatus(of: deployment(paused: true), now: Self.now)
        #expect(paused?.condition("Progressing")?.reason == "DeploymentPaused")
        #expect(paused?.condition("Progressing")?.status == "Unknown")
        #expect(DeploymentProgress.pausedStatus(of: deployment(status: paused, paused: true), now: Self.now) == nil)
        let resumed = DeploymentProgress.pausedStatus(of: deployment(status: paused, paused: false), now: Self.now)
        #expect(resumed?.condition("Progressing")?.reason == "DeploymentResumed")
        #expect(DeploymentProgress.pausedStatus(of: deployment(), now: Self.now) == nil)
    }
}
