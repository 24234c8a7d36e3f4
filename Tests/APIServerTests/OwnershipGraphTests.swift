import APIModel
import Testing
import TestSupport
@testable import APIServer

@Suite("Ownership graph (garbage collector rules)")
struct OwnershipGraphTests {
    private func graph() -> OwnershipGraph {
        OwnershipGraph { apiVersion, kind in apiVersion == "v1" && kind == "ConfigMap" }
    }

    private func ref(_ uid: String, kind: String = "ConfigMap", apiVersion: String = "v1") -> OwnerReference {
        OwnerReference(kind: kind, apiVersion: apiVersion, blockOwnerDeletion: true, name: uid, uid: uid)
    }

    private func node(_ key: String, owners: [OwnerReference] = [], finalizers: [String] = [], deleting: Bool = false)
        -> OwnershipGraph.Node {
        OwnershipGraph.Node(key: key, owners: owners, finalizers: finalizers, isDeleting: deleting)
    }

    @Test("Background: a dependent whose only owner vanished is deleted")
    func background() {
        var g = graph()
        #expect(g.upsert(uid: "o", node: node("/o")).isEmpty)
        #expect(g.upsert(uid: "d", node: node("/d", owners: [ref("o")])).isEmpty)
        #expect(g.remove(uid: "o") == [.delete(key: "/d", uid: "d")])
    }

    @Test("A dependent with another live owner only loses the dangling reference")
    func otherOwnerKeeps() {
        var g = graph()
        _ = g.upsert(uid: "a", node: node("/a"))
        _ = g.upsert(uid: "b", node: node("/b"))
        _ = g.upsert(uid: "d", node: node("/d", owners: [ref("a"), ref("b")]))
        #expect(g.remove(uid: "a") == [.removeOwnerReferences(key: "/d", uid: "d", owners: ["a"])])
    }

    @Test("Foreground: dependents are deleted, then the owner's finalizer goes")
    func foreground() {
        var g = graph()
        _ = g.upsert(uid: "o", node: node("/o"))
        _ = g.upsert(uid: "d", node: node("/d", owners: [ref("o")]))
        let marked = g.upsert(uid: "o", node: node("/o", finalizers: ["foregroundDeletion"], deleting: true))
        #expect(marked == [.delete(key: "/d", uid: "d")])
        #expect(g.remove(uid: "d") == [.removeFinalizer(key: "/o", uid: "o", finalizer: "foregroundDeletion")])
    }

    @Test("Orphan: dependents lose the reference, then the owner's finalizer goes")
    func orphan() {
        var g = graph()
        _ = g.upsert(uid: "o", node: node("/o"))
        _ = g.upsert(uid: "d", node: node("/d", owners: [ref("o")]))
        let marked = g.upsert(uid: "o", node: node("/o", finalizers: ["orphan"], deleting: true))
        #expect(marked == [.removeOwnerReferences(key: "/d", uid: "d", owners: ["o"])])
        #expect(g.upsert(uid: "d", node: node("/d")) == [.removeFinalizer(key: "/o", uid: "o", finalizer: "orphan")])
    }

    @Test("An owner of a kind Skiff does not serve is never taken as gone")
    func unknownOwnerKind() {
        var g = graph()
        #expect(g.upsert(uid: "d", node: node("/d", owners: [ref("x", kind: "Widget", apiVersion: "example.com/v1")])).isEmpty)
        #expect(g.pendingActions().isEmpty)
    }

    @Test("After a full load, dependents of owners that are already gone are collected")
    func pendingAfterLoad() {
        var g = graph()
        _ = g.upsert(uid: "d", node: node("/d", owners: [ref("gone")]))
        #expect(g.pendingActions() == [.delete(key: "/d", uid: "d")])
    }
}

@Suite("Garbage collection through the API")
struct GarbageCollectionAPITests {
    static let configMaps = "/api/v1/namespaces/default/configmaps"

    private func dependent(_ name: String, owner: JSONValue) -> String {
        let uid = owner["metadata"]?["uid"]?.stringValue ?? ""
        let ownerName = owner["metadata"]?["name"]?.stringValue ?? ""
        return #"{"metadata":{"name":"\#(name)","ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"\#(ownerName)","uid":"\#(uid)","blockOwnerDeletion":true}]},"data":{"k":"v"}}"#
    }

    @Test("Background, Foreground and Orphan propagation", arguments: ["Background", "Foreground", "Orphan"])
    func propagation(policy: String) async throws {
        try await TestAPI.with(garbageCollector: true) { api async throws in
            let owner = try await api.create(Self.configMaps, TestAPI.configMap("owner"))
            try await api.create(Self.configMaps, dependent("dep", owner: owner))
            let deleted = try await api.delete(Self.configMaps + "/owner", #"{"propagationPolicy":"\#(policy)"}"#)
            #expect(deleted.status == 200)
            try await eventually("the owner to go") { (try? await api.get(Self.configMaps + "/owner").status) == 404 }
            if policy == "Orphan" {
                let dep = try await api.get(Self.configMaps + "/dep")
                #expect(dep.status == 200)
                try await eventually("the reference to go") {
                    (try? await api.get(Self.configMaps + "/dep").json()["metadata"]?["ownerReferences"]) == nil
                }
            } else {
                try await eventually("the dependent to go") { (try? await api.get(Self.configMaps + "/dep").status) == 404 }
            }
        }
    }
}
