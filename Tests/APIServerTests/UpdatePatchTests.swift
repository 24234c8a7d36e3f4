import APIModel
import Foundation
import Testing
@testable import APIServer

@Suite("Update and patch")
struct UpdatePatchTests {
    static let configMaps = "/api/v1/namespaces/default/configmaps"
    static let deployments = "/apis/apps/v1/namespaces/default/deployments"
    static let mergePatch = "application/merge-patch+json"
    static let jsonPatch = "application/json-patch+json"
    static let strategic = "application/strategic-merge-patch+json"

    /// `object` with its members replaced (one level deep: `metadata`, `spec`…).
    static func edited(_ object: JSONValue, _ path: [String], _ value: JSONValue?) -> JSONValue {
        guard let first = path.first, case .object(var members) = object else { return value ?? .null }
        if path.count == 1 {
            members[first] = value
        } else {
            members[first] = edited(members[first] ?? .object([:]), Array(path.dropFirst()), value)
        }
        return .object(members)
    }

    @Test("A PUT with a stale resourceVersion is 409 Conflict and changes nothing")
    func staleResourceVersion() async throws {
        try await TestAPI.with { api async throws in
            let original = try await api.create(Self.configMaps, TestAPI.configMap("cm"))
            let first = Self.edited(original, ["data", "k"], .string("first"))
            let updated = try await api.put(Self.configMaps + "/cm", first.serializedString())
            #expect(updated.status == 200)
            #expect(try updated.json().resourceVersion != original.resourceVersion)

            let stale = Self.edited(original, ["data", "k"], .string("stale"))
            let response = try await api.put(Self.configMaps + "/cm", stale.serializedString())
            #expect(response.status == 409)
            let status = try response.json()
            #expect(status["reason"] == .string("Conflict"))
            #expect(status["message"] == .string(#"Operation cannot be fulfilled on configmaps "cm": the object has been modified; please apply your changes to the latest version and try again"#))
            #expect(try await api.get(Self.configMaps + "/cm").json()["data"]?["k"] == .string("first"))

            // A merge patch carrying a stale resourceVersion is refused the same way.
            let patch = #"{"metadata":{"resourceVersion":"\#(original.resourceVersion ?? "")"},"data":{"k":"p"}}"#
            #expect(try await api.patch(Self.configMaps + "/cm", patch).status == 409)
        }
    }

    @Test("A PUT without a resourceVersion is applied unconditionally")
    func unconditionalUpdate() async throws {
        try await TestAPI.with { api async throws in
            let original = try await api.create(Self.configMaps, TestAPI.configMap("cm"))
            var body = Self.edited(original, ["metadata", "resourceVersion"], nil)
            body = Self.edited(body, ["data", "k"], .string("new"))
            let response = try await api.put(Self.configMaps + "/cm", body.serializedString())
            #expect(response.status == 200)
            #expect(try response.json()["data"]?["k"] == .string("new"))
            #expect(try response.json()["metadata"]?["uid"] == original["metadata"]?["uid"])
            #expect(try response.json()["metadata"]?["creationTimestamp"] == original["metadata"]?["creationTimestamp"])
        }
    }

    @Test("A PUT of an object that does not exist is 404; a name differing from the URL is 400")
    func updateMissingAndMismatch() async throws {
        try await TestAPI.with { api async throws in
            #expect(try await api.put(Self.configMaps + "/nope", TestAPI.configMap("nope")).status == 404)
            try await api.create(Self.configMaps, TestAPI.configMap("cm"))
            #expect(try await api.put(Self.configMaps + "/cm", TestAPI.configMap("other")).status == 400)
        }
    }

    @Test("generation changes with the spec only")
    func generationTracksSpec() async throws {
        try await TestAPI.with { api async throws in
            let created = try await api.create(Self.deployments, TestAPI.deployment("web"))
            #expect(created["metadata"]?["generation"] == .int(1))

            let labelled = try await api.patch(Self.deployments + "/web", #"{"metadata":{"labels":{"team":"a"}}}"#)
            #expect(labelled.status == 200)
            #expect(try labelled.json()["metadata"]?["generation"] == .int(1))

            let status = try await api.patch(Self.deployments + "/web/status", #"{"status":{"replicas":2,"observedGeneration":1}}"#)
            #expect(status.status == 200)
            #expect(try status.json()["metadata"]?["generation"] == .int(1))

            let scaled = try await api.patch(Self.deployments + "/web", #"{"spec":{"replicas":5}}"#)
            #expect(try scaled.json()["metadata"]?["generation"] == .int(2))

            var replaced = try scaled.json()
            replaced = Self.edited(replaced, ["spec", "template", "spec", "containers"],
                                   .array([.object(["name": .string("app"), "image": .string("nginx:1.28")])]))
            let put = try await api.put(Self.deployments + "/web", replaced.serializedString())
            #expect(put.status == 200)
            #expect(try put.json()["metadata"]?["generation"] == .int(3))
        }
    }

    @Test("The status subresource writes only the status")
    func statusSubresource() async throws {
        try await TestAPI.with { api async throws in
            let created = try await api.create(Self.deployments, TestAPI.deployment("web"))
            var body = Self.edited(created, ["status"], .object(["replicas": .int(2), "readyReplicas": .int(1)]))
            body = Self.edited(body, ["spec", "replicas"], .int(9))
            body = Self.edited(body, ["metadata", "labels"], .object(["sneaky": .string("yes")]))
            let response = try await api.put(Self.deployments + "/web/status", body.serializedString())
            #expect(response.status == 200)
            let written = try response.json()
            #expect(written["status"]?["replicas"] == .int(2))
            #expect(written["status"]?["readyReplicas"] == .int(1))
            #expect(written["spec"]?["replicas"] == .int(2))
            #expect(written["metadata"]?["labels"] == nil)
            #expect(written["metadata"]?["generation"] == .int(1))
            #expect(try await api.get(Self.deployments + "/web").json() == written)
        }
    }

    @Test("The main resource ignores status")
    func mainResourceIgnoresStatus() async throws {
        try await TestAPI.with { api async throws in
            let created = try await api.create(Self.deployments, TestAPI.deployment("web"))
            var body = Self.edited(created, ["status"], .object(["replicas": .int(7)]))
            body = Self.edited(body, ["metadata", "resourceVersion"], nil)
            let response = try await api.put(Self.deployments + "/web", body.serializedString())
            #expect(response.status == 200)
            #expect(try response.json()["status"]?["replicas"] == nil)
            // A create ignores status too.
            let pod = try await api.create("/api/v1/namespaces/default/pods",
                                           #"{"metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"x"}]},"status":{"phase":"Running"}}"#)
            #expect(pod["status"]?["phase"] == .string("Pending"))
            // A merge patch of the status on the main resource changes nothing at all.
            let before = try await api.get(Self.deployments + "/web").json()
            let patched = try await api.patch(Self.deployments + "/web", #"{"status":{"replicas":4}}"#)
            #expect(patched.status == 200)
            #expect(try patched.json()["status"] == before["status"])
            #expect(try patched.json()["spec"]?["replicas"] == before["spec"]?["replicas"])
            #expect(try patched.json()["spec"]?["template"]?["spec"] == before["spec"]?["template"]?["spec"])
        }
    }

    @Test("Merge patch: members set, replaced and removed with null")
    func mergePatch() async throws {
        try await TestAPI.with { api async throws in
            try await api.create(Self.configMaps, TestAPI.configMap("cm", labels: ["a": "1", "b": "2"], data: ["x": "1", "y": "2"]))
            let response = try await api.patch(Self.configMaps + "/cm",
                                               #"{"metadata":{"labels":{"a":null,"c":"3"}},"data":{"y":null,"z":"3"}}"#)
            #expect(response.status == 200)
            let cm = try response.json()
            #expect(cm["metadata"]?["labels"] == .object(["b": .string("2"), "c": .string("3")]))
            #expect(cm["data"] == .object(["x": .string("1"), "z": .string("3")]))
        }
    }

    @Test("JSON patch: operations apply in order; a failing test operation is 422 and changes nothing")
    func jsonPatch() async throws {
        try await TestAPI.with { api async throws in
            try await api.create(Self.configMaps, TestAPI.configMap("cm", data: ["a": "1"]))
            let ok = try await api.patch(Self.configMaps + "/cm", #"""
                [{"op":"test","path":"/data/a","value":"1"},{"op":"add","path":"/data/b","value":"2"},
                 {"op":"replace","path":"/data/a","value":"one"},{"op":"add","path":"/metadata/labels","value":{"x":"y"}}]
                """#, type: Self.jsonPatch)
            #expect(ok.status == 200)
            let cm = try ok.json()
            #expect(cm["data"] == .object(["a": .string("one"), "b": .string("2")]))
            #expect(cm["metadata"]?["labels"]?["x"] == .string("y"))

            let revision = try await api.revision()
            let failing = try await api.patch(Self.configMaps + "/cm", #"""
                [{"op":"add","path":"/data/c","value":"3"},{"op":"test","path":"/data/a","value":"1"}]
                """#, type: Self.jsonPatch)
            #expect(failing.status == 422)
            #expect(try failing.json()["kind"] == .string("Status"))
            #expect(try await api.revision() == revision)
            #expect(try await api.get(Self.configMaps + "/cm").json()["data"]?["c"] == nil)

            // A path that does not exist is refused too, and an unknown content type is 415.
            let missing = try await api.patch(Self.configMaps + "/cm", #"[{"op":"remove","path":"/data/nope"}]"#, type: Self.jsonPatch)
            #expect(missing.status == 422)
            #expect(try await api.patch(Self.configMaps + "/cm", "{}", type: "application/json").status == 415)
        }
    }

    @Test("Strategic merge patch merges containers by name")
    func strategicMergePatch() async throws {
        try await TestAPI.with { api async throws in
            try await api.create(Self.deployments,
                                 TestAPI.deployment("web", containers: [("app", "nginx:1.27"), ("sidecar", "envoy:1")]))
            let response = try await api.patch(Self.deployments + "/web", #"""
                {"spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"sidecar","image":"envoy:2"}]}}}}
                """#, type: Self.strategic)
            #expect(response.status == 200)
            let deployment = try response.json()
            let containers = deployment["spec"]?["template"]?["spec"]?["containers"]?.arrayValue ?? []
            #expect(containers.map { $0["name"]?.stringValue ?? "" } == ["app", "sidecar"])
            #expect(containers.map { $0["image"]?.stringValue ?? "" } == ["nginx:1.27", "envoy:2"])
            #expect(deployment["spec"]?["replicas"] == .int(3))
            #expect(deployment["metadata"]?["generation"] == .int(2))

            // $patch: delete removes one element by its merge key.
            let deleted = try await api.patch(Self.deployments + "/web", #"""
                {"spec":{"template":{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}}}
                """#, type: Self.strategic)
            #expect(deleted.status == 200)
            let left = try deleted.json()["spec"]?["template"]?["spec"]?["containers"]?.arrayValue ?? []
            #expect(left.map { $0["name"]?.stringValue ?? "" } == ["app"])
        }
    }

    @Test("A patch that makes the object invalid is 422")
    func invalidPatch() async throws {
        try await TestAPI.with { api async throws in
            try await api.create(Self.deployments, TestAPI.deployment("web"))
            let response = try await api.patch(Self.deployments + "/web", #"{"spec":{"replicas":-1}}"#)
            #expect(response.status == 422)
            let causes = try response.json()["details"]?["causes"]?.arrayValue ?? []
            #expect(causes.contains { $0["field"] == .string("spec.replicas") })
        }
    }

    @Test("A no-op update or patch keeps the resourceVersion and writes nothing")
    func noOpKeepsResourceVersion() async throws {
        try await TestAPI.with { api async throws in
            var labels: [String: String] = [:]
            var data: [String: String] = [:]
            for i in 0..<20 {
                labels["label-\(i)"] = "v\(i)"
                data["key-\(i)"] = "value-\(i)"
            }
            let created = try await api.create(Self.configMaps, TestAPI.configMap("many", labels: labels, data: data))
            let revision = try await api.revision()
            let put = try await api.put(Self.configMaps + "/many", created.serializedString())
            #expect(put.status == 200)
            #expect(Self.edited(try put.json(), ["metadata", "resourceVersion"], nil)
                == Self.edited(created, ["metadata", "resourceVersion"], nil))
            let afterPut = try put.json().resourceVersion
            let patched = try await api.patch(Self.configMaps + "/many", #"{"data":{"key-1":"value-1"}}"#)
            #expect(patched.status == 200)
            let afterMerge = try patched.json().resourceVersion
            let empty = try await api.patch(Self.configMaps + "/many", "{}", type: Self.strategic)
            #expect(empty.status == 200)
            let afterEmpty = try empty.json().resourceVersion
            let revisionAfter = try await api.revision()
            #expect(afterPut == created.resourceVersion)
            #expect(afterMerge == created.resourceVersion)
            #expect(afterEmpty == created.resourceVersion)
            #expect(revisionAfter == revision)

            // A deployment read back and PUT unchanged, twice: nothing is written, so the second PUT (carrying
            // the same resourceVersion) is no conflict.
            let deployment = try await api.create(Self.deployments, TestAPI.deployment("web"))
            let before = try await api.revision()
            for _ in 0..<2 {
                let again = try await api.put(Self.deployments + "/web", deployment.serializedString())
                #expect(again.status == 200)
                #expect(try again.json() == deployment)
            }
            #expect(try await api.revision() == before)
        }
    }

    @Test("The scale subresource: GET, PUT and merge PATCH on deployments")
    func scaleSubresource() async throws {
        try await TestAPI.with { api async throws in
            let created = try await api.create(Self.deployments, TestAPI.deployment("web", replicas: 2))
            let createdRevision = try await api.revision()
            let read = try await api.get(Self.deployments + "/web/scale")
            #expect(read.status == 200)
            let scale = try read.json()
            #expect(scale["kind"] == .string("Scale"))
            #expect(scale["apiVersion"] == .string("autoscaling/v1"))
            #expect(scale.objectName == "web")
            #expect(scale["metadata"]?["namespace"] == .string("default"))
            #expect(scale["metadata"]?["uid"] == created["metadata"]?["uid"])
            #expect(scale["spec"]?["replicas"] == .int(2))
            #expect(scale["status"]?["selector"] == .string("app=web"))

            let put = try await api.put(Self.deployments + "/web/scale",
                                        #"{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"web"},"spec":{"replicas":4}}"#)
            #expect(put.status == 200)
            #expect(try put.json()["kind"] == .string("Scale"))
            #expect(try put.json()["spec"]?["replicas"] == .int(4))
            let afterPut = try await api.get(Self.deployments + "/web").json()
            #expect(afterPut["spec"]?["replicas"] == .int(4))
            #expect(afterPut["metadata"]?["generation"] == .int(2))

            // What `kubectl scale deployment web --replicas=3` sends.
            let patched = try await api.patch(Self.deployments + "/web/scale", #"{"spec":{"replicas":3}}"#)
            #expect(patched.status == 200)
            #expect(try patched.json()["spec"]?["replicas"] == .int(3))
            #expect(try await api.get(Self.deployments + "/web").json()["spec"]?["replicas"] == .int(3))

            // A stale resourceVersion in the Scale is a conflict; negative replicas are invalid.
            let stale = try await api.put(Self.deployments + "/web/scale",
                                          #"{"metadata":{"name":"web","resourceVersion":"\#(createdRevision)"},"spec":{"replicas":1}}"#)
            #expect(stale.status == 409)
            #expect(try await api.patch(Self.deployments + "/web/scale", #"{"spec":{"replicas":-1}}"#).status == 422)
        }
    }

    @Test("Subresources a kind does not have are 404")
    func unknownSubresource() async throws {
        try await TestAPI.with { api async throws in
            try await api.create(Self.configMaps, TestAPI.configMap("cm"))
            #expect(try await api.get(Self.configMaps + "/cm/scale").status == 404)
            #expect(try await api.put(Self.configMaps + "/cm/status", TestAPI.configMap("cm")).status == 404)
        }
    }
}

/// Where `resourceVersion` lands: Skiff stores objects without it and splices it into the top-level metadata
/// when reading, so objects holding nested `metadata` (pod templates) must come back right whatever the order
/// their members were encoded in.
@Suite("resourceVersion placement")
struct ResourceVersionPlacementTests {
    @Test("Objects with a pod template carry resourceVersion in their own metadata only")
    func templatesKeepTheirMetadata() async throws {
        try await TestAPI.with { api async throws in
            let deployments = "/apis/apps/v1/namespaces/default/deployments"
            var misplaced: [String] = []
            for i in 0..<60 {
                let name = "d\(i)"
                let created = try await api.create(deployments, TestAPI.deployment(name, containers: [("a", "b")]))
                let revision = String(try await api.revision())
                let read = try await api.get(deployments + "/" + name).json()
                let list = try await api.get(deployments + "?fieldSelector=metadata.name%3D" + name).json()
                let scale = try await api.get(deployments + "/" + name + "/scale").json()
                for (what, object) in [("create", created), ("get", read), ("list", list["items"]?[0] ?? .null), ("scale", scale)] {
                    let top = object.resourceVersion
                    let template = object["spec"]?["template"]?["metadata"]?["resourceVersion"]
                    if top != revision || template != nil {
                        misplaced.append("\(name) \(what): metadata.resourceVersion=\(top ?? "nil"), "
                                         + "spec.template.metadata.resourceVersion=\(template?.stringValue ?? "nil")")
                    }
                }
            }
            #expect(misplaced.count == 0, "\(misplaced.prefix(4).joined(separator: "; "))")
        }
    }
}
