import APIClient
import APIModel
import ControllerRuntime
import Controllers
import Foundation
import Synchronization
import Testing
import TestSupport

/// A transport that refuses pod creation (as an exceeded quota would) while `refusing` is set, counting the
/// refused attempts, and passes everything else to the cluster.
private final class RefusingPodCreates: KubernetesTransport {
    let inner: any KubernetesTransport
    let refusing = Atomic<Bool>(true)
    let refused = Atomic<Int>(0)

    init(_ inner: any KubernetesTransport) { self.inner = inner }

    func send(method: String, path: String, body: Data?, contentType: String?, accept: String?,
              timeout: Duration) async throws -> KubernetesClient.RawResponse {
        if method == "POST" && path.hasSuffix("/pods") && refusing.load(ordering: .sequentiallyConsistent) {
            refused.add(1, ordering: .sequentiallyConsistent)
            let status = #"{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403,"#
                + #""message":"pods \"web-\" is forbidden: exceeded quota: compute"}"#
            return KubernetesClient.RawResponse(status: 403, contentType: "application/json", body: Data(status.utf8))
        }
        return try await inner.send(method: method, path: path, body: body, contentType: contentType, accept: accept, timeout: timeout)
    }

    func stream(path: String, accept: String?, timeout: Duration) async throws -> KubernetesClient.StreamedResponse {
        try await inner.stream(path: path, accept: accept, timeout: timeout)
    }

    func shutdown() async throws {}
}

@Suite("ReplicaSet controller failures")
struct ReplicaSetFailureTests {
    @Test("Refused creates: one attempt per sync (slow start), a FailedCreate event, ReplicaFailure until creates succeed")
    func refusedCreates() async throws {
        try await InProcessCluster.with { cluster in
            let client = cluster.client
            let transport = RefusingPodCreates(client.transport)
            let pods = Informer<Pod>(client: client)
            let controller = ReplicaSetController(client: KubernetesClient(transport: transport), pods: pods)
            let task = Task {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { await pods.run() }
                    group.addTask { await controller.run() }
                }
            }
            defer { task.cancel() }
            let template = PodTemplateSpec(metadata: ObjectMeta(labels: ["app": "web"]),
                                           spec: PodSpec(containers: [Container(image: "busybox:1.36", name: "a")]))
            _ = try await client.create(ReplicaSet(metadata: ObjectMeta(name: "web", namespace: "default"),
                                                   spec: ReplicaSetSpec(replicas: 4, selector: LabelSelector(matchLabels: ["app": "web"]),
                                                                        template: template)))
            try await eventually("the ReplicaFailure condition") {
                let condition = try await client.get(ReplicaSet.self, name: "web", namespace: "default").status?.conditions?
                    .first { $0.type == "ReplicaFailure" }
                return condition?.status == "True" && condition?.reason == "FailedCreate"
                    && condition?.message == #"pods "web-" is forbidden: exceeded quota: compute"#
            }
            try await eventually("a FailedCreate event") {
                try await client.listItems(Event.self, namespace: "default").items.contains {
                    $0.reason == "FailedCreate" && $0.type == "Warning"
                        && $0.message == #"Error creating: pods "web-" is forbidden: exceeded quota: compute"#
                }
            }
            let status = try await client.get(ReplicaSet.self, name: "web", namespace: "default").status
            #expect(status?.replicas == 0)
            // Each sync stops after its first batch of one; retries back off, so only a few attempts were made.
            #expect(transport.refused.load(ordering: .sequentiallyConsistent) < 20)

            transport.refusing.store(false, ordering: .sequentiallyConsistent)
            try await eventually("4 pods and the condition cleared", timeout: .seconds(20)) {
                let status = try await client.get(ReplicaSet.self, name: "web", namespace: "default").status
                return status?.replicas == 4 && (status?.conditions ?? []).isEmpty
            }
            #expect(try await client.listItems(Pod.self, namespace: "default").items.count == 4)
        }
    }
}
