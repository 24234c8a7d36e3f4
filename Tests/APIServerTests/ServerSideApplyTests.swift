import APIModel
import Foundation
import HTTPTypes
import Testing
@testable import APIServer

/// Server-side apply and managedFields through the API.
@Suite("Server-side apply")
struct ServerSideApplyTests {
    static let deployments = "/apis/apps/v1/namespaces/default/deployments"
    static let configMaps = "/api/v1/namespaces/default/configmaps"

    private func apply(_ api: TestAPI, _ path: String, _ yaml: String, manager: String? = "applier",
                       force: Bool = false) async throws -> TestResponse {
        var query: [String] = []
        if let manager { query.append("fieldManager=\(manager)") }
        if force { query.append("force=true") }
        return try await api.send(.patch, path + (query.isEmpty ? "" : "?" + query.joined(separator: "&")),
                                  body: Data(yaml.utf8), contentType: "application/apply-patch+yaml")
    }

    private func managers(_ object: JSONValue) -> [String] {
        (object["metadata"]?["managedFields"]?.arrayValue ?? []).map {
            "\($0["manager"]?.stringValue ?? "")/\($0["operation"]?.stringValue ?? "")"
        }
    }

    static let deploymentYAML = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: app
                image: nginx:1.27
        """

    @Test("Applying to a missing object creates it with an Apply entry; applying again changes nothing")
    func createsByApply() async throws {
        try await TestAPI.with { api async throws in
            let created = try await apply(api, Self.deployments + "/web", Self.deploymentYAML)
            #expect(created.status == 201, "\(created)")
            let object = try created.json()
            #expect(managers(object) == ["applier/Apply"])
            let fields = object["metadata"]?["managedFields"]?.arrayValue?.first?["fieldsV1"]
            #expect(fields?["f:spec"]?["f:replicas"] == .object([:]))
            #expect(object["spec"]?["strategy"]?["type"] == .string("RollingUpdate"), "defaults apply to applied objects")
            let again = try await apply(api, Self.deployments + "/web", Self.deploymentYAML)
            #expect(again.status == 200)
            #expect(try again.json().resourceVersion == object.resourceVersion)
        }
    }

    @Test("Another manager's field with a different value is a conflict (409 with causes); force takes it")
    func conflicts() async throws {
        try await TestAPI.with { api async throws in
            let body = TestAPI.deployment("web", replicas: 2)
            let created = try await api.send(.post, Self.deployments + "?fieldManager=kubectl-create", body: Data(body.utf8),
                                             contentType: "application/json")
            #expect(created.status == 201)
            #expect(managers(try created.json()) == ["kubectl-create/Update"])

            let changed = Self.deploymentYAML.replacingOccurrences(of: "replicas: 2", with: "replicas: 5")
            let refused = try await apply(api, Self.deployments + "/web", changed)
            #expect(refused.status == 409)
            let status = try refused.json()
            #expect(status["reason"] == .string("Conflict"))
            #expect(status["message"] == .string(#"Apply failed with 1 conflict: conflict with "kubectl-create" using apps/v1: .spec.replicas"#))
            let cause = status["details"]?["causes"]?.arrayValue?.first
            #expect(cause?["reason"] == .string("FieldManagerConflict"))
            #expect(cause?["field"] == .string(".spec.replicas"))
            #expect(try await api.get(Self.deployments + "/web").json()["spec"]?["replicas"] == .int(2))

            let forced = try await apply(api, Self.deployments + "/web", changed, force: true)
            #expect(forced.status == 200, "\(forced)")
            let object = try forced.json()
            #expect(object["spec"]?["replicas"] == .int(5))
            let createEntry = object["metadata"]?["managedFields"]?.arrayValue?.first { $0["manager"] == .string("kubectl-create") }
            #expect(createEntry?["fieldsV1"]?["f:spec"]?["f:replicas"] == nil)
        }
    }

    @Test("A field dropped from the applied configuration is removed, unless another manager owns it")
    func pruning() async throws {
        try await TestAPI.with { api async throws in
            let first = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: cm
                  labels: {a: "1", b: "2"}
                data: {x: "1", y: "2"}
                """
            #expect(try await apply(api, Self.configMaps + "/cm", first).status == 201)
            // Another manager takes label b by changing it.
            let patched = try await api.send(.patch, Self.configMaps + "/cm?fieldManager=editor",
                                             body: Data(#"{"metadata":{"labels":{"b":"3"}}}"#.utf8),
                                             contentType: "application/merge-patch+json")
            #expect(patched.status == 200)
            let second = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: cm
                  labels: {a: "1"}
                data: {x: "1"}
                """
            let object = try await apply(api, Self.configMaps + "/cm", second).json()
            #expect(object["data"] == .object(["x": .string("1")]))
            #expect(object["metadata"]?["labels"] == .object(["a": .string("1"), "b": .string("3")]))
        }
    }

    @Test("Bad apply requests: no fieldManager, managedFields set, another kind, another name, not an object")
    func badRequests() async throws {
        try await TestAPI.with { api async throws in
            #expect(try await apply(api, Self.deployments + "/web", Self.deploymentYAML, manager: nil).status == 400)
            let managed = Self.deploymentYAML.replacingOccurrences(of: "  name: web", with: "  name: web\n  managedFields: [{manager: x}]")
            #expect(try await apply(api, Self.deployments + "/web", managed).status == 400)
            let kind = Self.deploymentYAML.replacingOccurrences(of: "kind: Deployment", with: "kind: ReplicaSet")
            #expect(try await apply(api, Self.deployments + "/web", kind).status == 400)
            #expect(try await apply(api, Self.deployments + "/other", Self.deploymentYAML).status == 400)
            #expect(try await apply(api, Self.deployments + "/web", "- a\n- b").status == 400)
            #expect(try await apply(api, Self.deployments + "/web", "{{{").status == 400)
            let invalid = Self.deploymentYAML.replacingOccurrences(of: "replicas: 2", with: "replicas: -1")
            #expect(try await apply(api, Self.deployments + "/web", invalid).status == 422)
            #expect(try await api.get(Self.deployments + "/web").status == 404)
            let forced = try await api.send(.patch, Self.configMaps + "/x?force=true", body: Data("{}".utf8),
                                            contentType: "application/merge-patch+json")
            #expect(forced.status == 400)
        }
    }

    @Test("Non-apply writes are recorded under fieldManager or the User-Agent's first word")
    func updateManagers() async throws {
        try await TestAPI.with { api async throws in
            var headers = HTTPFields()
            headers[.userAgent] = "kubectl/v1.32.0 (linux/amd64) kubernetes/abc"
            let created = try await api.send(.post, Self.configMaps, body: Data(TestAPI.configMap("cm").utf8),
                                             contentType: "application/json", headers: headers)
            #expect(managers(try created.json()) == ["kubectl/Update"])
            let patched = try await api.send(.patch, Self.configMaps + "/cm?fieldManager=kubectl-edit",
                                             body: Data(#"{"data":{"k":"w"}}"#.utf8), contentType: "application/merge-patch+json")
            let object = try patched.json()
            #expect(Set(managers(object)) == ["kubectl/Update", "kubectl-edit/Update"])
            let entries = object["metadata"]?["managedFields"]?.arrayValue ?? []
            let edit = entries.first { $0["manager"] == .string("kubectl-edit") }
            let create = entries.first { $0["manager"] == .string("kubectl") }
            #expect(edit?["fieldsV1"]?["f:data"]?["f:k"] == .object([:]), "the edit took the value it changed")
            #expect(create?["fieldsV1"]?["f:data"]?["f:k"] == nil)
            // A PUT without managedFields keeps them.
            var body = object
            if case .object(var meta)? = body["metadata"] {
                meta["managedFields"] = nil
                if case .object(var root) = body { root["metadata"] = .object(meta); body = .object(root) }
            }
            let put = try await api.send(.put, Self.configMaps + "/cm", body: body.serialized(), contentType: "application/json")
            #expect(put.status == 200)
            #expect(Set(managers(try put.json())) == ["kubectl/Update", "kubectl-edit/Update"])
        }
    }
}
