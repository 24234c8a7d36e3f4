import APIClient
import APIModel
import ControllerRuntime
import Foundation
import Testing
import TestSupport

@Suite("Informer")
struct InformerTests {
    private func configMap(_ name: String, _ value: String = "v") -> ConfigMap {
        ConfigMap(metadata: ObjectMeta(name: name, namespace: "default"), data: ["k": value])
    }

    @Test("Lists, then follows changes; the cache answers reads; subscribers get events in order")
    func listThenWatch() async throws {
        try await InProcessCluster.with { cluster in
            let client = cluster.client
            _ = try await client.create(configMap("before"))
            let informer = Informer<ConfigMap>(client: client, namespace: "default")
            let running = Task { await informer.run() }
            defer { running.cancel() }
            await informer.waitForSync()
            #expect(informer.get(namespace: "default", name: "before")?.data?["k"] == "v")

            var events = informer.subscribe().makeAsyncIterator()
            guard case .added(let replayed)? = await events.next() else { Issue.record("no replay"); return }
            #expect(replayed.metadata?.name == "before")

            _ = try await client.create(configMap("after"))
            guard case .added(let added)? = await events.next() else { Issue.record("no ADDED"); return }
            #expect(added.metadata?.name == "after")

            _ = try await client.patch(ConfigMap.self, name: "after", namespace: "default",
                                       mergePatch: Data(#"{"data":{"k":"w"}}"#.utf8))
            guard case .updated(let old, let new)? = await events.next() else { Issue.record("no update"); return }
            #expect(old.data?["k"] == "v")
            #expect(new.data?["k"] == "w")

            try await client.delete(ConfigMap.self, name: "before", namespace: "default")
            guard case .deleted(let gone)? = await events.next() else { Issue.record("no delete"); return }
            #expect(gone.metadata?.name == "before")
            #expect(informer.get(namespace: "default", name: "before") == nil)
            #expect(informer.count == 1)
        }
    }

    @Test("Selectors restrict what is cached")
    func selectors() async throws {
        try await InProcessCluster.with { cluster in
            let client = cluster.client
            var labelled = configMap("a")
            labelled.metadata?.labels = ["team": "x"]
            _ = try await client.create(labelled)
            _ = try await client.create(configMap("b"))
            let informer = Informer<ConfigMap>(client: client, namespace: "default", labelSelector: "team=x")
            let running = Task { await informer.run() }
            defer { running.cancel() }
            await informer.waitForSync()
            #expect(informer.list().compactMap(\.metadata?.name) == ["a"])
        }
    }

    @Test("The index by controller follows adoption, release and deletion")
    func controllerIndex() async throws {
        try await InProcessCluster.with { cluster in
            let client = cluster.client
            // Owners that exist (the garbage collector removes dependents of missing owners).
            let u1 = try await client.create(configMap("owner-1")).metadata?.uid ?? ""
            let u2 = try await client.create(configMap("owner-2")).metadata?.uid ?? ""
            func reference(_ name: String, _ uid: String) -> String {
                #"{"metadata":{"ownerReferences":[{"apiVersion":"v1","controller":true,"kind":"ConfigMap","name":"\#(name)","uid":"\#(uid)"}]}}"#
            }
            _ = try await client.create(configMap("mine"))
            _ = try await client.patch(ConfigMap.self, name: "mine", namespace: "default", mergePatch: Data(reference("owner-1", u1).utf8))
            _ = try await client.create(configMap("orphan"))
            let informer = Informer<ConfigMap>(client: client)
            let running = Task { await informer.run() }
            defer { running.cancel() }
            await informer.waitForSync()
            #expect(informer.list(controlledBy: u1).compactMap(\.metadata?.name) == ["mine"])
            #expect(Set(informer.orphans(in: "default").compactMap(\.metadata?.name)) == ["orphan", "owner-1", "owner-2"])
            #expect(informer.orphans(in: "kube-system").isEmpty)

            // Adopted by owner-2, released by owner-1.
            _ = try await client.patch(ConfigMap.self, name: "orphan", namespace: "default", mergePatch: Data(reference("owner-2", u2).utf8))
            _ = try await client.patch(ConfigMap.self, name: "mine", namespace: "default",
                                       mergePatch: Data(#"{"metadata":{"ownerReferences":null}}"#.utf8))
            try await eventually("the index to follow") {
                informer.list(controlledBy: u2).compactMap(\.metadata?.name) == ["orphan"]
                    && Set(informer.orphans(in: "default").compactMap(\.metadata?.name)) == ["mine", "owner-1", "owner-2"]
                    && informer.list(controlledBy: u1).isEmpty
            }
            try await client.delete(ConfigMap.self, name: "orphan", namespace: "default")
            try await eventually("the deletion to leave the index") { informer.list(controlledBy: u2).isEmpty }
        }
    }
}
