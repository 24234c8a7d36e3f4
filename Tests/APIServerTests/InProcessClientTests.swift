import APIClient
import APIModel
import Foundation
import Testing
import TestSupport
@testable import APIServer

/// The typed client over `InProcessTransport`: what Skiff's own components use inside the server.
@Suite("In-process client")
struct InProcessClientTests {
    private func client(_ api: TestAPI) -> KubernetesClient {
        KubernetesClient(transport: InProcessTransport(responder: api.responder, user: TestAPI.user, userAgent: "skiff-tests"))
    }

    @Test("Create, get, list and delete go through the same handlers; errors are KubernetesClientErrors")
    func roundTrip() async throws {
        try await TestAPI.with { api async throws in
            let client = client(api)
            let pod = Pod(metadata: ObjectMeta(name: "p1", namespace: "default"),
                          spec: PodSpec(containers: [Container(image: "busybox:1.36", name: "a")]))
            let created = try await client.create(pod)
            #expect(created.metadata?.uid != nil)
            #expect(created.spec?.restartPolicy == "Always")
            #expect(try await client.get(Pod.self, name: "p1", namespace: "default").metadata?.uid == created.metadata?.uid)
            #expect(try await client.listItems(Pod.self, namespace: "default").items.count == 1)
            await #expect(throws: KubernetesClientError.self) { _ = try await client.create(pod) }
            try await client.delete(Pod.self, name: "p1", namespace: "default")
            #expect(try await api.get("/api/v1/namespaces/default/pods/p1").status == 404)
        }
    }

    @Test("A watch streams events and ends when dropped")
    func watch() async throws {
        try await TestAPI.with { api async throws in
            let client = client(api)
            let watchersBefore = api.cache.watcherCount
            var events = try await client.watch(ConfigMap.self, namespace: "default").makeAsyncIterator()
            try await api.create("/api/v1/namespaces/default/configmaps", TestAPI.configMap("c1"))
            let first = try await events.next()
            guard case .added(let cm) = first else {
                Issue.record("expected ADDED, got \(String(describing: first))")
                return
            }
            #expect(cm.metadata?.name == "c1")
            events = try await client.watch(ConfigMap.self, namespace: "kube-system").makeAsyncIterator()
            try await eventually("the dropped watch ends") { api.cache.watcherCount == watchersBefore + 1 }
        }
    }
}
