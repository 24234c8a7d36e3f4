import APIClient
import APIModel
import ControllerRuntime
import Controllers
import Foundation
import Testing
import TestSupport

/// A transport whose watch streams deliver each chunk `delay` late, so an informer over it lags behind the API.
private final class LaggingWatches: KubernetesTransport {
    let inner: any KubernetesTransport
    let delay: Duration

    init(_ inner: any KubernetesTransport, delay: Duration) {
        self.inner = inner
        self.delay = delay
    }

    func send(method: String, path: String, body: Data?, contentType: String?, accept: String?,
              timeout: Duration) async throws -> KubernetesClient.RawResponse {
        try await inner.send(method: method, path: path, body: body, contentType: contentType, accept: accept, timeout: timeout)
    }

    func stream(path: String, accept: String?, timeout: Duration) async throws -> KubernetesClient.StreamedResponse {
        let response = try await inner.stream(path: path, accept: accept, timeout: timeout)
        let (stream, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        let (body, delay) = (response.body, self.delay)
        let pump = Task {
            do {
                for try await chunk in body {
                    try await Task.sleep(for: delay)
                    continuation.yield(chunk)
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in pump.cancel() }
        return KubernetesClient.StreamedResponse(status: response.status, body: stream)
    }

    func shutdown() async throws {}
}

@Suite("ReplicaSet controller expectations")
struct ReplicaSetExpectationsTests {
    @Test("With a pod cache lagging behind its own writes, the controller creates and deletes exactly the difference")
    func laggingCache() async throws {
        try await InProcessCluster.with { cluster in
            let client = cluster.client
            let pods = Informer<Pod>(client: KubernetesClient(transport: LaggingWatches(client.transport, delay: .milliseconds(150))))
            let controller = ReplicaSetController(client: client, pods: pods)
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
                                                   spec: ReplicaSetSpec(replicas: 8, selector: LabelSelector(matchLabels: ["app": "web"]),
                                                                        template: template)))
            try await eventually("8 replicas counted", timeout: .seconds(20)) {
                try await client.get(ReplicaSet.self, name: "web", namespace: "default").status?.replicas == 8
            }
            // Status writes and pod events kept waking the controller while its cache lagged; give a stray
            // create the time to show.
            try await Task.sleep(for: .milliseconds(600))
            #expect(try await client.listItems(Pod.self, namespace: "default").items.count == 8)

            _ = try await client.request(method: "PATCH", path: ResourcePath.replicasets.object("web", namespace: "default") + "/scale",
                                         body: Data(#"{"spec":{"replicas":3}}"#.utf8), contentType: "application/merge-patch+json")
            try await eventually("3 replicas counted", timeout: .seconds(20)) {
                try await client.get(ReplicaSet.self, name: "web", namespace: "default").status?.replicas == 3
            }
            try await Task.sleep(for: .milliseconds(600))
            let remaining = try await client.listItems(Pod.self, namespace: "default").items.filter { $0.metadata?.deletionTimestamp == nil }
            #expect(remaining.count == 3)
            let deletions = try await client.listItems(Event.self, namespace: "default").items.filter { $0.reason == "SuccessfulDelete" }
            #expect(deletions.reduce(0) { $0 + Int($1.count ?? 1) } == 5)
        }
    }
}
