import APIModel
import Foundation
import Testing
@testable import APIServer

@Suite("List")
struct ListTests {
    static let configMaps = "/api/v1/namespaces/default/configmaps"
    static let pods = "/api/v1/namespaces/default/pods"
    static let table = "application/json;as=Table;v=v1;g=meta.k8s.io"
    /// What `kubectl get` sends.
    static let kubectlTable = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"

    /// A query value, percent-encoded.
    static func q(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn:
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")) ?? text
    }

    @Test("A list has its kind, the store revision and the items in name order")
    func plainList() async throws {
        try await TestAPI.with { api async throws in
            for name in ["b", "c", "a"] { try await api.create(Self.configMaps, TestAPI.configMap(name)) }
            let response = try await api.get(Self.configMaps)
            #expect(response.status == 200)
            let list = try response.json()
            #expect(list["kind"] == .string("ConfigMapList"))
            #expect(list["apiVersion"] == .string("v1"))
            #expect(list.resourceVersion == String(try await api.revision()))
            #expect(list.itemNames == ["a", "b", "c"])
            #expect(list["items"]?[0]?["kind"] == .string("ConfigMap"))
            #expect(list["metadata"]?["continue"] == nil)

            let deployments = try await api.get("/apis/apps/v1/namespaces/default/deployments").json()
            #expect(deployments["kind"] == .string("DeploymentList"))
            #expect(deployments["apiVersion"] == .string("apps/v1"))
            #expect(deployments["items"] == .array([]))
        }
    }

    @Test("A namespace that does not exist lists as empty")
    func missingNamespaceIsEmpty() async throws {
        try await TestAPI.with { api async throws in
            let response = try await api.get("/api/v1/namespaces/nowhere/pods")
            #expect(response.status == 200)
            #expect(try response.json()["items"] == .array([]))
        }
    }

    static let labelCases: [(String, [String])] = [
        ("env=prod", ["a"]),
        ("env==prod", ["a"]),
        ("env!=prod", ["b", "c", "d"]),
        ("env in (prod,dev)", ["a", "b"]),
        ("env notin (prod,dev)", ["c", "d"]),
        ("tier", ["a", "d"]),
        ("!tier", ["b", "c"]),
        ("env,!tier", ["b"]),
        ("env=prod,tier=web", ["a"]),
        ("env=prod,tier=db", []),
    ]

    @Test("Label selectors: =, ==, !=, in, notin, exists, !", arguments: labelCases)
    func labelSelectors(selector: String, expected: [String]) async throws {
        try await TestAPI.with { api async throws in
            try await api.create(Self.configMaps, TestAPI.configMap("a", labels: ["env": "prod", "tier": "web"]))
            try await api.create(Self.configMaps, TestAPI.configMap("b", labels: ["env": "dev"]))
            try await api.create(Self.configMaps, TestAPI.configMap("c"))
            try await api.create(Self.configMaps, TestAPI.configMap("d", labels: ["env": "staging", "tier": "db"]))
            let response = try await api.get(Self.configMaps + "?labelSelector=" + Self.q(selector))
            #expect(response.status == 200)
            #expect(try response.json().itemNames == expected)
        }
    }

    @Test("A label selector that does not parse is 400")
    func badLabelSelector() async throws {
        try await TestAPI.with { api async throws in
            for selector in ["env in prod", "=x", "env in (a", "a b"] {
                let response = try await api.get(Self.configMaps + "?labelSelector=" + Self.q(selector))
                #expect(response.status == 400, "\(selector): \(response)")
                #expect(try response.json()["reason"] == .string("BadRequest"))
            }
        }
    }

    @Test("Field selectors on metadata.name and metadata.namespace")
    func metadataFieldSelectors() async throws {
        try await TestAPI.with { api async throws in
            for name in ["a", "b", "c"] { try await api.create(Self.configMaps, TestAPI.configMap(name)) }
            #expect(try await api.get(Self.configMaps + "?fieldSelector=" + Self.q("metadata.name=b")).json().itemNames == ["b"])
            #expect(try await api.get(Self.configMaps + "?fieldSelector=" + Self.q("metadata.name!=b")).json().itemNames == ["a", "c"])
            #expect(try await api.get(Self.configMaps + "?fieldSelector=" + Self.q("metadata.name==c")).json().itemNames == ["c"])
            #expect(try await api.get("/api/v1/configmaps?fieldSelector=" + Self.q("metadata.namespace=default")).json().itemNames
                == ["a", "b", "c"])
        }
    }

    @Test("Pod field selectors: spec.nodeName and status.phase")
    func podFieldSelectors() async throws {
        try await TestAPI.with { api async throws in
            try await api.create(Self.pods, TestAPI.pod("p1", nodeName: "node-1"))
            try await api.create(Self.pods, TestAPI.pod("p2", nodeName: "node-2"))
            try await api.create(Self.pods, TestAPI.pod("p3"))
            let running = try await api.patch(Self.pods + "/p2/status", #"{"status":{"phase":"Running"}}"#)
            #expect(running.status == 200)

            func names(_ selector: String) async throws -> [String] {
                try await api.get(Self.pods + "?fieldSelector=" + Self.q(selector)).json().itemNames
            }
            #expect(try await names("spec.nodeName=node-1") == ["p1"])
            #expect(try await names("spec.nodeName=") == ["p3"])
            #expect(try await names("spec.nodeName!=") == ["p1", "p2"])
            #expect(try await names("status.phase=Running") == ["p2"])
            #expect(try await names("status.phase=Pending") == ["p1", "p3"])
            #expect(try await names("status.phase!=Running,spec.nodeName=node-1") == ["p1"])
            // All namespaces, as the kubelet of a node asks.
            #expect(try await api.get("/api/v1/pods?fieldSelector=" + Self.q("spec.nodeName=node-2")).json().itemNames == ["p2"])
        }
    }

    @Test("Event field selectors on involvedObject, as kubectl describe sends them")
    func eventFieldSelectors() async throws {
        try await TestAPI.with { api async throws in
            let pod = try await api.create(Self.pods, TestAPI.pod("web-1"))
            let uid = try #require(pod["metadata"]?["uid"]?.stringValue)
            func event(_ name: String, object: String, uid: String) -> String {
                #"""
                {"metadata":{"name":"\#(name)"},"involvedObject":{"kind":"Pod","namespace":"default","name":"\#(object)","uid":"\#(uid)"},
                 "reason":"Scheduled","message":"m","type":"Normal","source":{"component":"scheduler"}}
                """#
            }
            try await api.create("/api/v1/namespaces/default/events", event("e1", object: "web-1", uid: uid))
            try await api.create("/api/v1/namespaces/default/events", event("e2", object: "web-2", uid: "other"))
            let events = "/api/v1/namespaces/default/events?fieldSelector="
            #expect(try await api.get(events + Self.q("involvedObject.name=web-1")).json().itemNames == ["e1"])
            let describe = "involvedObject.uid=\(uid),involvedObject.name=web-1,involvedObject.namespace=default"
            #expect(try await api.get(events + Self.q(describe) + "&limit=500").json().itemNames == ["e1"])
            #expect(try await api.get(events + Self.q("involvedObject.kind=Pod")).json().itemNames == ["e1", "e2"])
            #expect(try await api.get(events + Self.q("type=Warning")).json().itemNames == [])
        }
    }

    @Test("Secret field selector on type")
    func secretTypeSelector() async throws {
        try await TestAPI.with { api async throws in
            let secrets = "/api/v1/namespaces/default/secrets"
            try await api.create(secrets, #"{"metadata":{"name":"plain"},"data":{"a":"Yg=="}}"#)
            try await api.create(secrets, #"{"metadata":{"name":"custom"},"type":"example.com/custom","data":{"a":"Yg=="}}"#)
            #expect(try await api.get(secrets + "?fieldSelector=" + Self.q("type=example.com/custom")).json().itemNames == ["custom"])
            #expect(try await api.get(secrets + "?fieldSelector=" + Self.q("type=Opaque")).json().itemNames == ["plain"])
        }
    }

    @Test("A field selector on a field the kind does not index is 400")
    func unsupportedFieldSelector() async throws {
        try await TestAPI.with { api async throws in
            let response = try await api.get(Self.configMaps + "?fieldSelector=" + Self.q("spec.foo=bar"))
            #expect(response.status == 400)
            let status = try response.json()
            #expect(status["reason"] == .string("BadRequest"))
            #expect(status["message"]?.stringValue?.contains("field label not supported: spec.foo") == true)
            #expect(try await api.get(Self.pods + "?fieldSelector=" + Self.q("status.hostIP=1.2.3.4")).status == 400)
            #expect(try await api.get(Self.pods + "?fieldSelector=" + Self.q("=x")).status == 400)
        }
    }

    @Test("The all-namespaces path lists every namespace, namespace then name")
    func allNamespaces() async throws {
        try await TestAPI.with { api async throws in
            try await api.createNamespace("team-a")
            try await api.create("/api/v1/namespaces/team-a/configmaps", TestAPI.configMap("z"))
            try await api.create(Self.configMaps, TestAPI.configMap("y"))
            try await api.create("/api/v1/namespaces/kube-system/configmaps", TestAPI.configMap("x"))
            let list = try await api.get("/api/v1/configmaps").json()
            #expect(list.itemNames == ["y", "x", "z"])
            let namespaces = (list["items"]?.arrayValue ?? []).compactMap { $0["metadata"]?["namespace"]?.stringValue }
            #expect(namespaces == ["default", "kube-system", "team-a"])
            let deployments = try await api.get("/apis/apps/v1/deployments").json()
            #expect(deployments["kind"] == .string("DeploymentList"))
            // Cluster-scoped: every namespace.
            let nsList = try await api.get("/api/v1/namespaces").json()
            #expect(nsList.itemNames == ["default", "kube-node-lease", "kube-public", "kube-system", "team-a"])
        }
    }

    @Test("limit and continue page through one revision, whatever is written between pages")
    func pagination() async throws {
        try await TestAPI.with { api async throws in
            for i in 0..<5 { try await api.create(Self.configMaps, TestAPI.configMap("cm-\(i)", data: ["v": "0"])) }
            let first = try await api.get(Self.configMaps + "?limit=2").json()
            #expect(first.itemNames == ["cm-0", "cm-1"])
            let revision = try #require(first.resourceVersion)
            let token1 = try #require(first["metadata"]?["continue"]?.stringValue)

            // Writes between pages: none of them shows in the later pages.
            try await api.create(Self.configMaps, TestAPI.configMap("cm-5"))
            try await api.create(Self.configMaps, TestAPI.configMap("cm-20"))
            #expect(try await api.patch(Self.configMaps + "/cm-2", #"{"data":{"v":"1"}}"#).status == 200)
            #expect(try await api.delete(Self.configMaps + "/cm-3").status == 200)

            let second = try await api.get(Self.configMaps + "?limit=2&continue=" + Self.q(token1)).json()
            #expect(second.itemNames == ["cm-2", "cm-3"])
            #expect(second.resourceVersion == revision)
            #expect(second["items"]?[0]?["data"]?["v"] == .string("0"))
            let token2 = try #require(second["metadata"]?["continue"]?.stringValue)

            let third = try await api.get(Self.configMaps + "?limit=2&continue=" + Self.q(token2)).json()
            #expect(third.itemNames == ["cm-4"])
            #expect(third.resourceVersion == revision)
            #expect(third["metadata"]?["continue"] == nil)

            #expect(try await api.get(Self.configMaps).json().itemNames == ["cm-0", "cm-1", "cm-2", "cm-20", "cm-4", "cm-5"])
        }
    }

    @Test("Pages of a selected list hold `limit` matching items")
    func paginationWithSelector() async throws {
        try await TestAPI.with { api async throws in
            for i in 0..<6 {
                try await api.create(Self.configMaps, TestAPI.configMap("cm-\(i)", labels: ["even": i % 2 == 0 ? "yes" : "no"]))
            }
            let first = try await api.get(Self.configMaps + "?limit=2&labelSelector=even%3Dyes").json()
            #expect(first.itemNames == ["cm-0", "cm-2"])
            let token = try #require(first["metadata"]?["continue"]?.stringValue)
            let second = try await api.get(Self.configMaps + "?limit=2&labelSelector=even%3Dyes&continue=" + Self.q(token)).json()
            #expect(second.itemNames == ["cm-4"])
            #expect(second["metadata"]?["continue"] == nil)
        }
    }

    @Test("A continue token that does not decode is 400")
    func badContinueToken() async throws {
        try await TestAPI.with { api async throws in
            let response = try await api.get(Self.configMaps + "?limit=2&continue=garbage")
            #expect(response.status == 400)
        }
    }

    @Test("resourceVersionMatch=Exact lists the objects as they were at that revision")
    func exactRevision() async throws {
        try await TestAPI.with { api async throws in
            let a = try await api.create(Self.configMaps, TestAPI.configMap("a"))
            try await api.create(Self.configMaps, TestAPI.configMap("b"))
            let rv = try #require(a.resourceVersion)
            let list = try await api.get(Self.configMaps + "?resourceVersion=\(rv)&resourceVersionMatch=Exact").json()
            #expect(list.itemNames == ["a"])
            #expect(list.resourceVersion == rv)
        }
    }

    @Test("A resourceVersion ahead of the store is 504 Too large resource version")
    func futureRevision() async throws {
        try await TestAPI.with { api async throws in
            let response = try await api.get(Self.configMaps + "?resourceVersion=99999")
            #expect(response.status == 504)
            #expect(try response.json()["message"]?.stringValue?.hasPrefix("Too large resource version: 99999") == true)
        }
    }

    @Test("Table output: column definitions and rows with PartialObjectMetadata")
    func tableList() async throws {
        try await TestAPI.with { api async throws in
            try await api.create(Self.pods, TestAPI.pod("p1", labels: ["app": "web"]))
            try await api.create(Self.pods, TestAPI.pod("p2"))
            for accept in [Self.table, Self.kubectlTable] {
                let response = try await api.get(Self.pods + "?limit=500", accept: accept)
                #expect(response.status == 200)
                let table = try response.json()
                #expect(table["kind"] == .string("Table"))
                #expect(table["apiVersion"] == .string("meta.k8s.io/v1"))
                #expect(table.resourceVersion == String(try await api.revision()))
                let columns = (table["columnDefinitions"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
                #expect(Array(columns.prefix(5)) == ["Name", "Ready", "Status", "Restarts", "Age"])
                #expect(table["columnDefinitions"]?[0]?["type"] == .string("string"))
                let rows = table["rows"]?.arrayValue ?? []
                #expect(rows.count == 2)
                #expect(rows.first?["cells"]?[0] == .string("p1"))
                #expect(rows.first?["cells"]?[2] == .string("Pending"))
                let object = try #require(rows.first?["object"])
                #expect(object["kind"] == .string("PartialObjectMetadata"))
                #expect(object["apiVersion"] == .string("meta.k8s.io/v1"))
                #expect(object["metadata"]?["name"] == .string("p1"))
                #expect(object["metadata"]?["namespace"] == .string("default"))
                #expect(object["metadata"]?["labels"]?["app"] == .string("web"))
                #expect(object["metadata"]?["resourceVersion"]?.stringValue != nil)
                #expect(object["spec"] == nil)
            }
        }
    }

    @Test("includeObject=Object embeds the whole object; None embeds nothing")
    func tableIncludeObject() async throws {
        try await TestAPI.with { api async throws in
            try await api.create(Self.pods, TestAPI.pod("p1"))
            let full = try await api.get(Self.pods + "?includeObject=Object", accept: Self.table).json()
            let object = try #require(full["rows"]?[0]?["object"])
            #expect(object["kind"] == .string("Pod"))
            #expect(object["spec"]?["containers"]?[0]?["image"] == .string("nginx:1.27"))
            #expect(object == (try await api.get(Self.pods + "/p1").json()))

            let none = try await api.get(Self.pods + "?includeObject=None", accept: Self.table).json()
            #expect(none["rows"]?[0]?["object"] == nil)
            #expect(none["rows"]?[0]?["cells"]?[0] == .string("p1"))
        }
    }

    @Test("A single object as a Table; a paginated Table carries the continue token")
    func tableSingleAndPaged() async throws {
        try await TestAPI.with { api async throws in
            for name in ["a", "b", "c"] { try await api.create(Self.configMaps, TestAPI.configMap(name)) }
            let one = try await api.get(Self.configMaps + "/b", accept: Self.kubectlTable).json()
            #expect(one["kind"] == .string("Table"))
            #expect(one["rows"]?.arrayValue?.count == 1)
            #expect(one["rows"]?[0]?["cells"]?[0] == .string("b"))
            #expect(one["rows"]?[0]?["object"]?["kind"] == .string("PartialObjectMetadata"))

            let paged = try await api.get(Self.configMaps + "?limit=2", accept: Self.table).json()
            #expect(paged["rows"]?.arrayValue?.count == 2)
            let token = try #require(paged["metadata"]?["continue"]?.stringValue)
            let rest = try await api.get(Self.configMaps + "?limit=2&continue=" + Self.q(token), accept: Self.table).json()
            #expect(rest["kind"] == .string("Table"))
            #expect(rest["rows"]?[0]?["cells"]?[0] == .string("c"))

            // Plain JSON first in Accept: a list, not a table.
            let list = try await api.get(Self.configMaps, accept: "application/json, */*").json()
            #expect(list["kind"] == .string("ConfigMapList"))
        }
    }
}
