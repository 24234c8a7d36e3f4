import APIModel
import Foundation
import Testing
import TestSupport
@testable import APIServer

/// Graceful pod deletion and the pod action subresources (binding, eviction).
@Suite("Pod lifecycle")
struct PodLifecycleTests {
    static let pods = "/api/v1/namespaces/default/pods"
    static let nodes = "/api/v1/nodes"

    /// Registers a node, and waits for the cache to hold it (deletions look nodes up there).
    private func registerNode(_ api: TestAPI, _ name: String) async throws {
        try await api.create(Self.nodes, #"{"metadata":{"name":"\#(name)"}}"#)
        try await eventually("node \(name) cached") { api.cache.get(NodeKeys.key(name), bucket: NodeKeys.prefix) != nil }
    }

    @Test("A pod bound to no node is removed at once")
    func unboundPodGoesAtOnce() async throws {
        try await TestAPI.with { api async throws in
            try await api.create(Self.pods, TestAPI.pod("p1"))
            #expect(try await api.delete(Self.pods + "/p1").status == 200)
            #expect(try await api.get(Self.pods + "/p1").status == 404)
        }
    }

    @Test("A pod on a registered node is marked with its grace period and stays until deleted with 0")
    func boundPodIsDeletedGracefully() async throws {
        try await TestAPI.with { api async throws in
            try await registerNode(api, "n1")
            try await api.create(Self.pods, TestAPI.pod("p1", nodeName: "n1"))
            let before = Time.now()
            let response = try await api.delete(Self.pods + "/p1")
            #expect(response.status == 200)
            let marked = try response.json()
            #expect(marked["metadata"]?["deletionGracePeriodSeconds"] == .int(30))
            let deadline = try #require(marked["metadata"]?["deletionTimestamp"]?.stringValue)
            let date = try #require(ISO8601DateFormatter().date(from: deadline))
            #expect(abs(date.timeIntervalSince(before.date) - 30) <= 2)
            #expect(try await api.get(Self.pods + "/p1").status == 200)

            // A later DELETE asking for more time changes nothing; one asking for less shortens the period.
            let longer = try await api.delete(Self.pods + "/p1", #"{"gracePeriodSeconds":60}"#)
            #expect(try longer.json()["metadata"]?["deletionGracePeriodSeconds"] == .int(30))
            let shorter = try await api.delete(Self.pods + "/p1", #"{"gracePeriodSeconds":5}"#)
            #expect(try shorter.json()["metadata"]?["deletionGracePeriodSeconds"] == .int(5))

            // The node finishes the deletion.
            #expect(try await api.delete(Self.pods + "/p1", #"{"gracePeriodSeconds":0}"#).status == 200)
            #expect(try await api.get(Self.pods + "/p1").status == 404)
        }
    }

    @Test("The pod's terminationGracePeriodSeconds is its default grace period")
    func terminationGracePeriodIsTheDefault() async throws {
        try await TestAPI.with { api async throws in
            try await registerNode(api, "n1")
            try await api.create(Self.pods, #"""
            {"metadata":{"name":"p1"},"spec":{"nodeName":"n1","terminationGracePeriodSeconds":7,
             "containers":[{"name":"a","image":"busybox:1.36"}]}}
            """#)
            let marked = try await api.delete(Self.pods + "/p1").json()
            #expect(marked["metadata"]?["deletionGracePeriodSeconds"] == .int(7))
        }
    }

    @Test("A pod bound to a node that is not registered, or already finished, is removed at once")
    func nobodyToFinish() async throws {
        try await TestAPI.with { api async throws in
            try await api.create(Self.pods, TestAPI.pod("orphan", nodeName: "gone"))
            _ = try await api.delete(Self.pods + "/orphan")
            #expect(try await api.get(Self.pods + "/orphan").status == 404)

            try await registerNode(api, "n1")
            try await api.create(Self.pods, TestAPI.pod("done", nodeName: "n1"))
            #expect(try await api.put(Self.pods + "/done/status", #"""
            {"metadata":{"name":"done"},"status":{"phase":"Succeeded"}}
            """#).status == 200)
            _ = try await api.delete(Self.pods + "/done")
            #expect(try await api.get(Self.pods + "/done").status == 404)
        }
    }

    @Test("A finalizer still holds a pod whose node has finished it")
    func finalizerOutlastsGrace() async throws {
        try await TestAPI.with { api async throws in
            try await registerNode(api, "n1")
            try await api.create(Self.pods, #"""
            {"metadata":{"name":"p1","finalizers":["example.com/hold"]},
             "spec":{"nodeName":"n1","containers":[{"name":"a","image":"busybox:1.36"}]}}
            """#)
            _ = try await api.delete(Self.pods + "/p1")
            let finished = try await api.delete(Self.pods + "/p1", #"{"gracePeriodSeconds":0}"#).json()
            #expect(finished["metadata"]?["deletionGracePeriodSeconds"] == .int(0))
            #expect(try await api.get(Self.pods + "/p1").status == 200)
            _ = try await api.patch(Self.pods + "/p1", #"{"metadata":{"finalizers":null}}"#)
            #expect(try await api.get(Self.pods + "/p1").status == 404)
        }
    }

    @Test("Removing the last finalizer does not cut short a graceful deletion under way")
    func graceOutlastsFinalizer() async throws {
        try await TestAPI.with { api async throws in
            try await registerNode(api, "n1")
            try await api.create(Self.pods, #"""
            {"metadata":{"name":"p1","finalizers":["example.com/hold"]},
             "spec":{"nodeName":"n1","containers":[{"name":"a","image":"busybox:1.36"}]}}
            """#)
            _ = try await api.delete(Self.pods + "/p1")
            _ = try await api.patch(Self.pods + "/p1", #"{"metadata":{"finalizers":null}}"#)
            #expect(try await api.get(Self.pods + "/p1").status == 200)
            _ = try await api.delete(Self.pods + "/p1", #"{"gracePeriodSeconds":0}"#)
            #expect(try await api.get(Self.pods + "/p1").status == 404)
        }
    }

    // MARK: Binding

    @Test("A binding assigns the pod to the node and marks it scheduled; a second one is a conflict")
    func binding() async throws {
        try await TestAPI.with { api async throws in
            try await api.create(Self.pods, TestAPI.pod("p1"))
            let response = try await api.post(Self.pods + "/p1/binding", #"""
            {"apiVersion":"v1","kind":"Binding","metadata":{"name":"p1","annotations":{"a":"b"}},
             "target":{"apiVersion":"v1","kind":"Node","name":"n1"}}
            """#)
            #expect(response.status == 201, "\(response)")
            #expect(try response.json()["status"] == .string("Success"))
            let pod = try await api.get(Self.pods + "/p1").json()
            #expect(pod["spec"]?["nodeName"] == .string("n1"))
            #expect(pod["metadata"]?["annotations"]?["a"] == .string("b"))
            let condition = pod["status"]?["conditions"]?.arrayValue?.first { $0["type"] == .string("PodScheduled") }
            #expect(condition?["status"] == .string("True"))

            let again = try await api.post(Self.pods + "/p1/binding", #"{"metadata":{"name":"p1"},"target":{"name":"n2"}}"#)
            #expect(again.status == 409)
            #expect(try again.json()["message"] == .string(
                #"Operation cannot be fulfilled on pods/binding "p1": pod p1 is already assigned to node "n1""#))
        }
    }

    @Test("Bad bindings: no target, another kind, another name, a missing pod, a GET")
    func badBindings() async throws {
        try await TestAPI.with { api async throws in
            try await api.create(Self.pods, TestAPI.pod("p1"))
            #expect(try await api.post(Self.pods + "/p1/binding", #"{"metadata":{"name":"p1"},"target":{}}"#).status == 422)
            #expect(try await api.post(Self.pods + "/p1/binding",
                                       #"{"metadata":{"name":"p1"},"target":{"kind":"Pod","name":"x"}}"#).status == 422)
            #expect(try await api.post(Self.pods + "/p1/binding", #"{"metadata":{"name":"p2"},"target":{"name":"n1"}}"#).status == 400)
            #expect(try await api.post(Self.pods + "/nope/binding", #"{"target":{"name":"n1"}}"#).status == 404)
            #expect(try await api.post(Self.pods + "/p1/binding", "{not json").status == 400)
            #expect(try await api.get(Self.pods + "/p1/binding").status == 405)
            #expect(try await api.get(Self.pods + "/p1").json()["spec"]?["nodeName"] == nil)
        }
    }

    // MARK: Eviction

    @Test("An eviction deletes the pod with its delete options")
    func eviction() async throws {
        try await TestAPI.with { api async throws in
            try await registerNode(api, "n1")
            try await api.create(Self.pods, TestAPI.pod("p1", nodeName: "n1"))
            let response = try await api.post(Self.pods + "/p1/eviction", #"""
            {"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"p1"},"deleteOptions":{"gracePeriodSeconds":3}}
            """#)
            #expect(response.status == 201, "\(response)")
            let pod = try await api.get(Self.pods + "/p1").json()
            #expect(pod["metadata"]?["deletionGracePeriodSeconds"] == .int(3))
            #expect(try await api.post(Self.pods + "/nope/eviction", #"{"metadata":{"name":"nope"}}"#).status == 404)
        }
    }

    @Test("Discovery lists pods/binding and pods/eviction as create-only subresources")
    func discovery() async throws {
        try await TestAPI.with { api async throws in
            let list = try await api.get("/api/v1").json()
            let entries = list["resources"]?.arrayValue ?? []
            let eviction = entries.first { $0["name"] == .string("pods/eviction") }
            #expect(eviction?["verbs"] == .array([.string("create")]))
            #expect(eviction?["group"] == .string("policy"))
            #expect(eviction?["kind"] == .string("Eviction"))
            let binding = entries.first { $0["name"] == .string("pods/binding") }
            #expect(binding?["kind"] == .string("Binding"))
            #expect(binding?["group"] == nil)
        }
    }
}
