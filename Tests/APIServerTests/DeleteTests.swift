import APIModel
import Foundation
import Testing
@testable import APIServer

@Suite("Delete")
struct DeleteTests {
    static let pods = "/api/v1/namespaces/default/pods"
    static let configMaps = "/api/v1/namespaces/default/configmaps"
    static let deployments = "/apis/apps/v1/namespaces/default/deployments"

    @Test("Deleting a pod answers with the pod")
    func podReturnsPod() async throws {
        try await TestAPI.with { api async throws in
            let created = try await api.create(Self.pods, TestAPI.pod("p1"))
            let response = try await api.delete(Self.pods + "/p1")
            #expect(response.status == 200)
            let pod = try response.json()
            #expect(pod["kind"] == .string("Pod"))
            #expect(pod.objectName == "p1")
            #expect(pod["metadata"]?["uid"] == created["metadata"]?["uid"])
            #expect(try await api.get(Self.pods + "/p1").status == 404)
        }
    }

    @Test("Deleting other kinds answers with a Success Status naming the object")
    func othersReturnStatus() async throws {
        try await TestAPI.with { api async throws in
            let cm = try await api.create(Self.configMaps, TestAPI.configMap("cm"))
            let response = try await api.delete(Self.configMaps + "/cm")
            #expect(response.status == 200)
            let status = try response.json()
            #expect(status["kind"] == .string("Status"))
            #expect(status["apiVersion"] == .string("v1"))
            #expect(status["status"] == .string("Success"))
            #expect(status["details"]?["name"] == .string("cm"))
            #expect(status["details"]?["kind"] == .string("configmaps"))
            #expect(status["details"]?["uid"] == cm["metadata"]?["uid"])
            #expect(try await api.get(Self.configMaps + "/cm").status == 404)

            try await api.create(Self.deployments, TestAPI.deployment("web"))
            let deployment = try await api.delete(Self.deployments + "/web").json()
            #expect(deployment["status"] == .string("Success"))
            #expect(deployment["details"]?["group"] == .string("apps"))
            #expect(deployment["details"]?["kind"] == .string("deployments"))
        }
    }

    @Test("Services and service accounts answer a deletion with the object, as Kubernetes does")
    func servicesReturnTheObject() async throws {
        try await TestAPI.with { api async throws in
            try await api.create("/api/v1/namespaces/default/serviceaccounts", #"{"metadata":{"name":"robot"}}"#)
            let account = try await api.delete("/api/v1/namespaces/default/serviceaccounts/robot").json()
            #expect(account["kind"] == .string("ServiceAccount"))
            #expect(account.objectName == "robot")
            try await api.create("/api/v1/namespaces/default/services",
                                 #"{"metadata":{"name":"web"},"spec":{"ports":[{"port":80}]}}"#)
            let service = try await api.delete("/api/v1/namespaces/default/services/web").json()
            #expect(service["kind"] == .string("Service"))
            #expect(service.objectName == "web")
        }
    }

    @Test("Deleting what does not exist is 404")
    func deleteMissing() async throws {
        try await TestAPI.with { api async throws in
            let response = try await api.delete(Self.configMaps + "/nope")
            #expect(response.status == 404)
            #expect(try response.json()["message"] == .string(#"configmaps "nope" not found"#))
        }
    }

    @Test("Preconditions on uid and resourceVersion that do not hold are 409 and keep the object")
    func preconditions() async throws {
        try await TestAPI.with { api async throws in
            let cm = try await api.create(Self.configMaps, TestAPI.configMap("cm"))
            let uid = try #require(cm["metadata"]?["uid"]?.stringValue)
            let rv = try #require(cm.resourceVersion)

            let wrongUID = try await api.delete(Self.configMaps + "/cm",
                                                #"{"kind":"DeleteOptions","apiVersion":"v1","preconditions":{"uid":"not-\#(uid)"}}"#)
            #expect(wrongUID.status == 409)
            #expect(try wrongUID.json()["reason"] == .string("Conflict"))
            #expect(try wrongUID.json()["message"]?.stringValue?.contains("Precondition failed: UID in precondition: not-\(uid)") == true)

            let wrongRV = try await api.delete(Self.configMaps + "/cm", #"{"preconditions":{"resourceVersion":"1"}}"#)
            #expect(wrongRV.status == 409)
            #expect(try wrongRV.json()["message"]?.stringValue?.contains("Precondition failed: ResourceVersion in precondition: 1") == true)
            #expect(try await api.get(Self.configMaps + "/cm").status == 200)

            let matching = try await api.delete(Self.configMaps + "/cm", #"{"preconditions":{"uid":"\#(uid)","resourceVersion":"\#(rv)"}}"#)
            #expect(matching.status == 200)
            #expect(try await api.get(Self.configMaps + "/cm").status == 404)
        }
    }

    @Test("An object with finalizers is kept with a deletionTimestamp until they are removed")
    func finalizers() async throws {
        try await TestAPI.with { api async throws in
            try await api.create(Self.configMaps, TestAPI.configMap("held", finalizers: ["example.com/hold"]))
            let response = try await api.delete(Self.configMaps + "/held")
            #expect(response.status == 200)
            let marked = try response.json()
            #expect(marked["kind"] == .string("ConfigMap"))
            #expect(marked["metadata"]?["deletionTimestamp"]?.stringValue != nil)
            #expect(marked["metadata"]?["finalizers"] == .array([.string("example.com/hold")]))

            let read = try await api.get(Self.configMaps + "/held")
            #expect(read.status == 200)
            #expect(try read.json() == marked)
            // Deleting again changes nothing.
            let again = try await api.delete(Self.configMaps + "/held")
            #expect(again.status == 200)
            #expect(try again.json().resourceVersion == marked.resourceVersion)

            // Removing the last finalizer completes the deletion.
            let released = try await api.patch(Self.configMaps + "/held", #"{"metadata":{"finalizers":null}}"#)
            #expect(released.status == 200)
            let after = try await api.get(Self.configMaps + "/held")
            #expect(after.status == 404)
        }
    }

    @Test("Deleting a namespace marks it Terminating, then it goes with its content")
    func namespaceDeletion() async throws {
        try await TestAPI.with { api async throws in
            try await api.createNamespace("doomed")
            try await api.create("/api/v1/namespaces/doomed/configmaps", TestAPI.configMap("inside"))
            try await api.create("/api/v1/namespaces/doomed/pods", TestAPI.pod("p"))
            try await api.create("/api/v1/namespaces/default/configmaps", TestAPI.configMap("outside"))
            let watch = try await api.watch("/api/v1/namespaces?watch=true&fieldSelector=metadata.name%3Ddoomed")
            #expect(try await watch.nextEvent() == ("ADDED", "doomed"))

            let response = try await api.delete("/api/v1/namespaces/doomed")
            #expect(response.status == 200)
            let ns = try response.json()
            #expect(ns["kind"] == .string("Namespace"))
            #expect(ns["status"]?["phase"] == .string("Terminating"))
            #expect(ns["metadata"]?["deletionTimestamp"]?.stringValue != nil)

            #expect(try await watch.nextEvent() == ("MODIFIED", "doomed"))
            #expect(try await watch.nextEvent() == ("DELETED", "doomed"))
            await watch.close()
            #expect(try await api.get("/api/v1/namespaces/doomed").status == 404)
            #expect(try await api.get("/api/v1/namespaces/doomed/configmaps/inside").status == 404)
            #expect(try await api.get("/api/v1/namespaces/doomed/pods/p").status == 404)
            #expect(try await api.get("/api/v1/namespaces/default/configmaps/outside").status == 200)
        }
    }

    @Test("Nothing can be created in a Terminating namespace (403)")
    func terminatingNamespaceRefusesContent() async throws {
        try await TestAPI.with(namespaceCleaner: false) { api async throws in
            try await api.createNamespace("closing")
            #expect(try await api.delete("/api/v1/namespaces/closing").status == 200)
            let response = try await api.post("/api/v1/namespaces/closing/configmaps", TestAPI.configMap("late"))
            #expect(response.status == 403)
            #expect(try response.json()["message"]?.stringValue?.contains("because it is being terminated") == true)
            // The namespace stays readable, Terminating.
            let ns = try await api.get("/api/v1/namespaces/closing").json()
            #expect(ns["status"]?["phase"] == .string("Terminating"))
        }
    }

    @Test("default, kube-system and kube-public cannot be deleted (403)", arguments: ["default", "kube-system", "kube-public"])
    func protectedNamespaces(name: String) async throws {
        try await TestAPI.with { api async throws in
            let response = try await api.delete("/api/v1/namespaces/\(name)")
            #expect(response.status == 403)
            let status = try response.json()
            #expect(status["reason"] == .string("Forbidden"))
            #expect(status["message"] == .string(#"namespaces "\#(name)" is forbidden: this namespace may not be deleted"#))
            #expect(try await api.get("/api/v1/namespaces/\(name)").json()["status"]?["phase"] == .string("Active"))
        }
    }

    @Test("deletecollection deletes what the label selector matches and lists it")
    func deleteCollection() async throws {
        try await TestAPI.with { api async throws in
            try await api.create(Self.configMaps, TestAPI.configMap("a", labels: ["app": "x"]))
            try await api.create(Self.configMaps, TestAPI.configMap("b", labels: ["app": "x"]))
            try await api.create(Self.configMaps, TestAPI.configMap("c", labels: ["app": "y"]))
            try await api.create("/api/v1/namespaces/kube-system/configmaps", TestAPI.configMap("d", labels: ["app": "x"]))

            let response = try await api.delete(Self.configMaps + "?labelSelector=app%3Dx")
            #expect(response.status == 200)
            let deleted = try response.json()
            #expect(deleted["kind"] == .string("ConfigMapList"))
            #expect(deleted.itemNames == ["a", "b"])
            #expect(try await api.get(Self.configMaps).json().itemNames == ["c"])
            #expect(try await api.get("/api/v1/namespaces/kube-system/configmaps/d").status == 200)

            // Objects held by finalizers are marked, not removed.
            try await api.create(Self.configMaps, TestAPI.configMap("held", finalizers: ["example.com/hold"]))
            #expect(try await api.delete(Self.configMaps).status == 200)
            let left = try await api.get(Self.configMaps).json()
            #expect(left.itemNames == ["held"])
            #expect(left["items"]?[0]?["metadata"]?["deletionTimestamp"]?.stringValue != nil)
        }
    }

    @Test("Namespaces have no deletecollection (405)")
    func namespacesNoDeleteCollection() async throws {
        try await TestAPI.with { api async throws in
            #expect(try await api.delete("/api/v1/namespaces").status == 405)
            #expect(try await api.get("/api/v1/namespaces/default").status == 200)
        }
    }

    @Test("dryRun=All deletes nothing; a bad propagationPolicy is 400")
    func deleteOptions() async throws {
        try await TestAPI.with { api async throws in
            try await api.create(Self.configMaps, TestAPI.configMap("cm"))
            #expect(try await api.delete(Self.configMaps + "/cm?dryRun=All").status == 200)
            #expect(try await api.get(Self.configMaps + "/cm").status == 200)
            #expect(try await api.delete(Self.configMaps + "/cm?propagationPolicy=Sideways").status == 400)
            #expect(try await api.delete(Self.configMaps + "/cm?propagationPolicy=Foreground").status == 200)
        }
    }
}
