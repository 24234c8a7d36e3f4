import APIClient
import APIModel
import ControllerRuntime
import Foundation
import Synchronization

/// How workload controllers create and delete their pods (Kubernetes' `PodControl` with `slowStartBatch`), recording
/// the events Kubernetes records on the owner: `SuccessfulCreate` "Created pod: <name>", `FailedCreate` "Error
/// creating: <message>", `SuccessfulDelete` "Deleted pod: <name>", `FailedDelete` "Error deleting: <message>".
struct PodControl: Sendable {
    let client: KubernetesClient
    let recorder: EventRecorder

    /// Creates `count` pods, the `index`th being `pod(index)`, in slow-start batches (1, 2, 4, …; stopping after a batch
    /// with a failure). Returns how many were created and the first error.
    func create<Owner: KubernetesObject>(_ count: Int, owner: Owner,
                                         _ pod: @escaping @Sendable (Int) -> Pod) async -> (successes: Int, error: (any Error)?) {
        let cursor = Cursor()
        let (client, recorder) = (self.client, self.recorder)
        return await slowStartBatch(total: count) {
            do {
                let created = try await client.create(pod(cursor.next()))
                recorder.record(owner, type: .normal, reason: "SuccessfulCreate", message: "Created pod: \(created.metadata?.name ?? "")")
            } catch {
                recorder.record(owner, type: .warning, reason: "FailedCreate", message: "Error creating: \(Self.describe(error))")
                throw error
            }
        }
    }

    /// Deletes the pods concurrently; `failed` is called for each delete that did not happen (or found the pod gone).
    /// Returns the first failure (a pod already gone is no failure).
    func delete<Owner: KubernetesObject>(_ victims: [Pod], owner: Owner,
                                         failed: @escaping @Sendable (Pod) -> Void) async -> (any Error)? {
        let (client, recorder) = (self.client, self.recorder)
        return await withTaskGroup(of: (any Error)?.self) { group in
            for pod in victims {
                group.addTask {
                    let name = pod.metadata?.name ?? ""
                    do {
                        try await client.delete(Pod.self, name: name, namespace: pod.metadata?.namespace)
                        recorder.record(owner, type: .normal, reason: "SuccessfulDelete", message: "Deleted pod: \(name)")
                        return nil
                    } catch {
                        failed(pod)
                        if (error as? KubernetesClientError)?.isNotFound == true { return nil }
                        recorder.record(owner, type: .warning, reason: "FailedDelete", message: "Error deleting: \(Self.describe(error))")
                        return error
                    }
                }
            }
            var first: (any Error)?
            for await error in group where first == nil { first = error }
            return first
        }
    }

    /// Adopts and releases as claimed; returns the owner's pods (without adoptions that found the pod gone). Adopting
    /// first re-reads the owner and adopts nothing unless it is still the same object and not being deleted. Throws the
    /// first failure after trying every pod.
    func claim<Owner: ServedKind>(_ claim: PodClaim, owner: Owner) async throws -> [Pod] {
        var owned = claim.owned
        if !claim.adopt.isEmpty {
            let fresh = try await client.get(Owner.self, name: owner.metadata?.name ?? "", namespace: owner.metadata?.namespace)
            guard fresh.metadata?.uid == owner.metadata?.uid, fresh.metadata?.deletionTimestamp == nil else {
                throw KubernetesClientError(code: 409, reason: "Conflict",
                                            message: "\(Owner.groupVersionKind.kind) \(ObjectKey(owner)) is gone or being deleted; not adopting")
            }
        }
        var firstError: (any Error)?
        for pod in claim.adopt {
            do {
                try await setOwnerReferences(of: pod, to: (pod.metadata?.ownerReferences ?? []) + [owner.newControllerReference])
            } catch {
                owned.removeAll { $0.metadata?.uid == pod.metadata?.uid }
                if (error as? KubernetesClientError)?.isNotFound != true { firstError = firstError ?? error }
            }
        }
        for pod in claim.release {
            do {
                try await setOwnerReferences(of: pod, to: (pod.metadata?.ownerReferences ?? []).filter {
                    !PodClaim.isReference($0, to: owner)
                })
            } catch let error as KubernetesClientError where error.isNotFound {
                continue
            } catch {
                firstError = firstError ?? error
            }
        }
        if let firstError { throw firstError }
        return owned
    }

    /// Replaces the pod's owner references, on the condition that the pod is unchanged since it was read.
    private func setOwnerReferences(of pod: Pod, to references: [OwnerReference]) async throws {
        _ = try await client.replaceOwnerReferences(of: pod, with: references)
    }

    /// An API error's message as Kubernetes prints it in events and conditions.
    static func describe(_ error: any Error) -> String {
        (error as? KubernetesClientError)?.message ?? "\(error)"
    }
}

/// Hands out 0, 1, 2, … to concurrent calls.
private final class Cursor: Sendable {
    private let value = Mutex(0)

    func next() -> Int {
        value.withLock { value in
            defer { value += 1 }
            return value
        }
    }
}
