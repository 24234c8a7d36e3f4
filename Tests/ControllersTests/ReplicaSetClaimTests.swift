import APIModel
import Controllers
import Foundation
import Testing

/// Which ReplicaSets a Deployment owns, adopts and releases.
@Suite("ReplicaSet claim")
struct ReplicaSetClaimTests {
    private func deployment(deleting: Bool = false) -> Deployment {
        Deployment(metadata: ObjectMeta(deletionTimestamp: deleting ? Time.now() : nil, name: "web", namespace: "default", uid: "d-uid"),
                   spec: DeploymentSpec(selector: LabelSelector(matchLabels: ["app": "web"])))
    }

    private func replicaSet(_ name: String, labels: [String: String] = ["app": "web"], controller: String? = nil,
                            namespace: String = "default") -> ReplicaSet {
        let references = controller.map { [OwnerReference(kind: "Deployment", apiVersion: "apps/v1", controller: true, name: "x", uid: $0)] }
        return ReplicaSet(metadata: ObjectMeta(labels: labels, name: name, namespace: namespace, ownerReferences: references, uid: "uid-\(name)"))
    }

    @Test("Owned and matching stays, orphans matching are adopted, owned no longer matching released, others left alone")
    func claim() throws {
        let candidates = [
            replicaSet("mine", controller: "d-uid"),
            replicaSet("orphan"),
            replicaSet("relabelled", labels: ["app": "other"], controller: "d-uid"),
            replicaSet("someone-elses", controller: "other-uid"),
            replicaSet("unrelated-orphan", labels: ["app": "other"]),
            replicaSet("elsewhere", namespace: "other"),
        ]
        let claim = try ReplicaSetClaim(deployment: deployment(), candidates: candidates)
        #expect(claim.owned.compactMap(\.metadata?.name) == ["mine", "orphan"])
        #expect(claim.adopt.compactMap(\.metadata?.name) == ["orphan"])
        #expect(claim.release.compactMap(\.metadata?.name) == ["relabelled"])

        let deleting = try ReplicaSetClaim(deployment: deployment(deleting: true), candidates: candidates)
        #expect(deleting.owned.compactMap(\.metadata?.name) == ["mine", "relabelled"])
        #expect(deleting.adopt.isEmpty && deleting.release.isEmpty)
    }
}
