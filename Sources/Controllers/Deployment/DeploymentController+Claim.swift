import APIClient
import APIModel
import ControllerRuntime
import Foundation

/// Adopting and releasing ReplicaSets (`getReplicaSetsForDeployment`).
extension DeploymentController {
    /// The Deployment's ReplicaSets, after adopting the matching orphans and releasing those it no longer selects
    /// (`ReplicaSetClaim`); a ReplicaSet gone meanwhile is skipped. Throws the first failure after trying every one.
    func claimReplicaSets(of deployment: Deployment) async throws -> [ReplicaSet] {
        let namespace = deployment.metadata?.namespace
        let claim = try ReplicaSetClaim(deployment: deployment, candidates: replicaSets.ownedOrAdoptable(by: deployment))
        var owned = claim.owned
        if !claim.adopt.isEmpty {
            // Adopt only for a Deployment that still exists as this object and is not being deleted, read live.
            let fresh = try await client.get(Deployment.self, name: deployment.metadata?.name ?? "", namespace: namespace)
            guard fresh.metadata?.uid == deployment.metadata?.uid, fresh.metadata?.deletionTimestamp == nil else {
                throw KubernetesClientError(code: 409, reason: "Conflict",
                                            message: "Deployment \(ObjectKey(deployment)) is gone or being deleted; not adopting")
            }
        }
        var firstError: (any Error)?
        for replicaSet in claim.adopt {
            let uid = replicaSet.metadata?.uid
            do {
                let adopted = try await client.replaceOwnerReferences(of: replicaSet,
                                                                   with: (replicaSet.metadata?.ownerReferences ?? []) + [deployment.controllerReference])
                owned = owned.map { $0.metadata?.uid == uid ? adopted : $0 }
            } catch {
                owned.removeAll { $0.metadata?.uid == uid }
                if (error as? KubernetesClientError)?.isNotFound != true { firstError = firstError ?? error }
            }
        }
        for replicaSet in claim.release {
            do {
                let references = (replicaSet.metadata?.ownerReferences ?? []).filter { $0.uid != deployment.metadata?.uid }
                _ = try await client.replaceOwnerReferences(of: replicaSet, with: references)
            } catch let error as KubernetesClientError where error.isNotFound {
                continue
            } catch {
                firstError = firstError ?? error
            }
        }
        if let firstError { throw firstError }
        return owned
    }

    /// The Deployments in the ReplicaSet's namespace whose (non-empty) selector matches it: who may adopt an orphan.
    func deploymentsSelecting(_ replicaSet: ReplicaSet) -> [ObjectKey] {
        let namespace = replicaSet.metadata?.namespace
        let labels = replicaSet.metadata?.labels ?? [:]
        return deployments.list { deployment in
            guard deployment.metadata?.namespace == namespace,
                  let selector = try? LabelMatcher.from(deployment.spec?.selector) else { return false }
            return !selector.isEverything && selector.matches(labels)
        }.map { ObjectKey($0) }
    }
}
