import APIModel
import Foundation
import Testing
@testable import APIServer

@Suite("Create")
struct CreateTests {
    static let pods = "/api/v1/namespaces/default/pods"
    static let configMaps = "/api/v1/namespaces/default/configmaps"
    static let deployments = "/apis/apps/v1/namespaces/default/deployments"

    @Test("The server sets uid, creationTimestamp and resourceVersion (the store revision); pods get no generation")
    func serverSetMetadata() async throws {
        try await TestAPI.with { api async throws in
            let before = Date()
            let body = #"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p1","uid":"client-uid","creationTimestamp":"2001-01-01T00:00:00Z"},
             "spec":{"containers":[{"name":"app","image":"nginx:1.27"}]}}
            """#
            let response = try await api.post(Self.pods, body)
            #expect(response.status == 201)
            let pod = try response.json()
            let meta = try #require(pod["metadata"])
            let uid = try #require(meta["uid"]?.stringValue)
            #expect(uid != "client-uid")
            #expect(UUID(uuidString: uid) != nil)
            #expect(pod.resourceVersion == String(try await api.revision()))
            let created = try #require(meta["creationTimestamp"]?.stringValue)
            let stamp = try #require(ISO8601DateFormatter().date(from: created))
            #expect(stamp.timeIntervalSince(before) > -2 && stamp.timeIntervalSinceNow < 2)
            #expect(meta["generation"] == nil)
            #expect(meta["namespace"] == .string("default"))
            // The stored object is what a GET returns.
            let read = try await api.get(Self.pods + "/p1")
            #expect(try read.json() == pod)
        }
    }

    @Test("Deployments start at generation 1")
    func deploymentGeneration() async throws {
        try await TestAPI.with { api async throws in
            let deployment = try await api.create(Self.deployments, TestAPI.deployment("web"))
            #expect(deployment["metadata"]?["generation"] == .int(1))
            #expect(deployment["kind"] == .string("Deployment"))
            #expect(deployment["apiVersion"] == .string("apps/v1"))
        }
    }

    @Test("generateName: a random suffix is appended to the prefix")
    func generateName() async throws {
        try await TestAPI.with { api async throws in
            let body = #"{"metadata":{"generateName":"web-"},"data":{"a":"b"}}"#
            let first = try await api.create(Self.configMaps, body)
            let second = try await api.create(Self.configMaps, body)
            let name = try #require(first.objectName)
            #expect(name.hasPrefix("web-"))
            #expect(name.count == "web-".count + 5)
            #expect(first["metadata"]?["generateName"] == .string("web-"))
            #expect(second.objectName != name)
            #expect(try await api.get(Self.configMaps + "/" + name).status == 200)
        }
    }

    @Test("Without Content-Type, apiVersion, kind and namespace, the body is JSON and they come from the URL")
    func defaultsFromURL() async throws {
        try await TestAPI.with { api async throws in
            let body = Data(#"{"metadata":{"name":"bare"},"spec":{"containers":[{"name":"app","image":"busybox"}]}}"#.utf8)
            let response = try await api.send(.post, Self.pods, body: body, contentType: nil)
            #expect(response.status == 201)
            let pod = try response.json()
            #expect(pod["kind"] == .string("Pod"))
            #expect(pod["apiVersion"] == .string("v1"))
            #expect(pod["metadata"]?["namespace"] == .string("default"))
            #expect(pod["status"]?["phase"] == .string("Pending"))
            #expect(pod["spec"]?["containers"]?[0]?["imagePullPolicy"] == .string("Always"))
        }
    }

    @Test("A YAML body is accepted")
    func yamlBody() async throws {
        try await TestAPI.with { api async throws in
            let yaml = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: from-yaml
              labels:
                app: web
            data:
              key: value
            """
            let response = try await api.send(.post, Self.configMaps, body: Data(yaml.utf8), contentType: "application/yaml")
            #expect(response.status == 201)
            let cm = try response.json()
            #expect(cm["data"]?["key"] == .string("value"))
            #expect(cm["metadata"]?["labels"]?["app"] == .string("web"))
        }
    }

    @Test("A body namespace different from the URL's is 400")
    func namespaceMismatch() async throws {
        try await TestAPI.with { api async throws in
            let response = try await api.post(Self.configMaps, TestAPI.configMap("x", namespace: "kube-system"))
            #expect(response.status == 400)
            let status = try response.json()
            #expect(status["kind"] == .string("Status"))
            #expect(status["reason"] == .string("BadRequest"))
            #expect(status["message"]?.stringValue?.contains("does not match the namespace") == true)
            #expect(try await api.get("/api/v1/namespaces/kube-system/configmaps/x").status == 404)
        }
    }

    @Test("Creating in a namespace that does not exist is 404 namespaces \"x\" not found")
    func missingNamespace() async throws {
        try await TestAPI.with { api async throws in
            let response = try await api.post("/api/v1/namespaces/x/configmaps", TestAPI.configMap("cm"))
            #expect(response.status == 404)
            let status = try response.json()
            #expect(status["reason"] == .string("NotFound"))
            #expect(status["message"] == .string(#"namespaces "x" not found"#))
            #expect(status["details"]?["kind"] == .string("namespaces"))
            #expect(status["details"]?["name"] == .string("x"))
        }
    }

    @Test("A duplicate name is 409 AlreadyExists")
    func duplicate() async throws {
        try await TestAPI.with { api async throws in
            try await api.create(Self.configMaps, TestAPI.configMap("dup"))
            let revision = try await api.revision()
            let response = try await api.post(Self.configMaps, TestAPI.configMap("dup", data: ["other": "x"]))
            #expect(response.status == 409)
            let status = try response.json()
            #expect(status["reason"] == .string("AlreadyExists"))
            #expect(status["message"] == .string(#"configmaps "dup" already exists"#))
            #expect(status["details"]?["name"] == .string("dup"))
            #expect(try await api.revision() == revision)
        }
    }

    @Test("An invalid name is 422 Invalid with a cause naming metadata.name")
    func invalidName() async throws {
        try await TestAPI.with { api async throws in
            let response = try await api.post(Self.configMaps, TestAPI.configMap("Bad_Name"))
            #expect(response.status == 422)
            let status = try response.json()
            #expect(status["reason"] == .string("Invalid"))
            #expect(status["message"]?.stringValue?.hasPrefix(#"ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name""#) == true)
            let causes = status["details"]?["causes"]?.arrayValue ?? []
            #expect(causes.contains { $0["field"] == .string("metadata.name") && $0["reason"] == .string("FieldValueInvalid") })
            #expect(status["details"]?["kind"] == .string("ConfigMap"))
        }
    }

    @Test("A pod without containers is 422 naming spec.containers")
    func invalidPod() async throws {
        try await TestAPI.with { api async throws in
            let response = try await api.post(Self.pods, #"{"metadata":{"name":"empty"},"spec":{}}"#)
            #expect(response.status == 422)
            let causes = try response.json()["details"]?["causes"]?.arrayValue ?? []
            #expect(causes.contains { $0["field"] == .string("spec.containers") && $0["reason"] == .string("FieldValueRequired") })
        }
    }

    @Test("fieldValidation=Strict refuses an unknown field with 400 naming it")
    func strictUnknownField() async throws {
        try await TestAPI.with { api async throws in
            let revision = try await api.revision()
            let body = #"{"metadata":{"name":"p"},"spec":{"foo":1,"containers":[{"name":"app","image":"nginx"}]}}"#
            let response = try await api.post(Self.pods + "?fieldValidation=Strict", body)
            #expect(response.status == 400)
            let status = try response.json()
            #expect(status["reason"] == .string("BadRequest"))
            #expect(status["message"]?.stringValue?.contains(#"unknown field "spec.foo""#) == true)
            #expect(try await api.revision() == revision)
        }
    }

    @Test("fieldValidation=Warn (and the default) create the object with a Warning header naming the field")
    func warnUnknownField() async throws {
        try await TestAPI.with { api async throws in
            let body = #"{"metadata":{"name":"p1"},"spec":{"foo":1,"containers":[{"name":"app","image":"nginx"}]}}"#
            let warned = try await api.post(Self.pods + "?fieldValidation=Warn", body)
            #expect(warned.status == 201)
            #expect(warned.values("Warning") == [#"299 - "unknown field \"spec.foo\"""#])
            #expect(try warned.json()["spec"]?["foo"] == nil)

            let byDefault = try await api.post(Self.pods, body.replacingOccurrences(of: "p1", with: "p2"))
            #expect(byDefault.status == 201)
            #expect(byDefault.values("Warning").count == 1)

            let ignored = try await api.post(Self.pods + "?fieldValidation=Ignore", body.replacingOccurrences(of: "p1", with: "p3"))
            #expect(ignored.status == 201)
            #expect(ignored.values("Warning").isEmpty)
        }
    }

    @Test("Malformed JSON is 400 and stores nothing")
    func malformedJSON() async throws {
        try await TestAPI.with { api async throws in
            let revision = try await api.revision()
            for body in [#"{"metadata":{"name":"x"},"data":{"#, "not json", "[1,2]", ""] {
                let response = try await api.send(.post, Self.configMaps, body: Data(body.utf8), contentType: "application/json")
                #expect(response.status == 400, "body \(body): \(response)")
                #expect(try response.json()["kind"] == .string("Status"))
            }
            #expect(try await api.revision() == revision)
        }
    }

    @Test("Malformed YAML is 400 and stores nothing")
    func malformedYAML() async throws {
        try await TestAPI.with { api async throws in
            let revision = try await api.revision()
            for yaml in ["metadata:\n  name: [unclosed\n", "- just\n- a list\n", "key: value\n  bad indent: x\n"] {
                let response = try await api.send(.post, Self.configMaps, body: Data(yaml.utf8), contentType: "application/yaml")
                #expect(response.status == 400, "body \(yaml): \(response)")
                #expect(try response.json()["reason"] == .string("BadRequest"))
            }
            #expect(try await api.revision() == revision)
        }
    }

    @Test("A body over 3 MiB is 413 RequestEntityTooLarge")
    func bodyTooLarge() async throws {
        try await TestAPI.with { api async throws in
            let revision = try await api.revision()
            let big = String(repeating: "x", count: 3 * 1024 * 1024)
            let body = Data(TestAPI.configMap("big", data: ["blob": big]).utf8)
            #expect(body.count > 3 * 1024 * 1024)
            let response = try await api.send(.post, Self.configMaps, body: body, contentType: "application/json")
            #expect(response.status == 413)
            let status = try response.json()
            #expect(status["reason"] == .string("RequestEntityTooLarge"))
            #expect(status["code"] == .int(413))
            #expect(try await api.revision() == revision)
        }
    }

    @Test("Fields of the wrong type are 400 naming the field", arguments: [
        #"{"metadata":{"name":"x"},"data":{"a":1}}"#,
        #"{"metadata":{"name":"x","labels":"app=web"}}"#,
        #"{"metadata":"x"}"#,
    ])
    func wrongTypes(body: String) async throws {
        try await TestAPI.with { api async throws in
            let response = try await api.post(Self.configMaps, body)
            #expect(response.status == 400)
            let status = try response.json()
            #expect(status["reason"] == .string("BadRequest"))
            #expect(status["message"]?.stringValue?.hasPrefix(#"ConfigMap in version "v1" cannot be handled as a ConfigMap"#) == true)
        }
    }

    @Test("spec.replicas as a string is 400 naming spec.replicas")
    func wrongTypeInSpec() async throws {
        try await TestAPI.with { api async throws in
            let body = TestAPI.deployment("web").replacingOccurrences(of: #""replicas":2"#, with: #""replicas":"two""#)
            let response = try await api.post(Self.deployments, body)
            #expect(response.status == 400)
            #expect(try response.json()["message"]?.stringValue?.contains("spec.replicas") == true)
        }
    }

    @Test("A kind that does not match the URL is 400")
    func kindMismatch() async throws {
        try await TestAPI.with { api async throws in
            let response = try await api.post(Self.configMaps, #"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"}}"#)
            #expect(response.status == 400)
        }
    }

    @Test("An unknown fieldValidation value is 400")
    func badFieldValidation() async throws {
        try await TestAPI.with { api async throws in
            let response = try await api.post(Self.configMaps + "?fieldValidation=Loose", TestAPI.configMap("x"))
            #expect(response.status == 400)
            #expect(try await api.get(Self.configMaps + "/x").status == 404)
        }
    }

    @Test("An unsupported Content-Type is 415")
    func unsupportedMediaType() async throws {
        try await TestAPI.with { api async throws in
            let response = try await api.send(.post, Self.configMaps, body: Data("x".utf8), contentType: "text/plain")
            #expect(response.status == 415)
            #expect(try response.json()["reason"] == .string("UnsupportedMediaType"))
        }
    }

    @Test("dryRun=All answers with the object and stores nothing")
    func dryRun() async throws {
        try await TestAPI.with { api async throws in
            let revision = try await api.revision()
            let response = try await api.post(Self.configMaps + "?dryRun=All", TestAPI.configMap("dry"))
            #expect(response.status == 201)
            #expect(try response.json().objectName == "dry")
            #expect(try await api.revision() == revision)
            #expect(try await api.get(Self.configMaps + "/dry").status == 404)
        }
    }

    @Test("Cluster-scoped objects ignore a namespace in the body")
    func clusterScoped() async throws {
        try await TestAPI.with { api async throws in
            let ns = try await api.create("/api/v1/namespaces", #"{"metadata":{"name":"team-a","namespace":"default"}}"#)
            #expect(ns["metadata"]?["namespace"] == nil)
            #expect(ns["status"]?["phase"] == .string("Active"))
            #expect(ns["metadata"]?["labels"]?["kubernetes.io/metadata.name"] == .string("team-a"))
        }
    }
}
