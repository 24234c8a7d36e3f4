import APIModel
import Foundation
import Hummingbird
import Testing
@testable import APIServer

/// Paths, methods and authentication: what every request goes through before a handler.
@Suite("Routing, authentication and errors")
struct RoutingTests {
    @Test("/version answers without credentials", arguments: ["/version", "/version/"])
    func versionIsAnonymous(path: String) async throws {
        try await TestAPI.with { api async throws in
            let response = try await api.send(.get, path, token: nil)
            #expect(response.status == 200)
            let version = try response.json()
            #expect(version["major"] == .string("1"))
            #expect(version["minor"] == .string("32"))
            #expect(version["gitVersion"]?.stringValue?.hasPrefix("v1.32.") == true)
        }
    }

    @Test("Health endpoints answer without credentials", arguments: ["/readyz", "/livez", "/healthz"])
    func healthIsAnonymous(path: String) async throws {
        try await TestAPI.with { api async throws in
            try await api.cache.waitUntilFresh()
            let response = try await api.send(.get, path, token: nil)
            #expect(response.status == 200)
            #expect(response.text == "ok")
        }
    }

    @Test("Requests without valid credentials are 401 with a Status", arguments: [
        ("/api/v1/namespaces", nil), ("/api/v1/namespaces", "wrong-token"), ("/api", nil), ("/apis", nil),
        ("/api/v1/namespaces/default/pods/x", "wrong-token"), ("/openapi/v3", nil), ("/metrics", nil), ("/nope", nil),
    ] as [(String, String?)])
    func unauthenticated(path: String, token: String?) async throws {
        try await TestAPI.with { api async throws in
            let response = try await api.send(.get, path, token: token)
            #expect(response.status == 401)
            let status = try response.json()
            #expect(status["kind"] == .string("Status"))
            #expect(status["apiVersion"] == .string("v1"))
            #expect(status["status"] == .string("Failure"))
            #expect(status["reason"] == .string("Unauthorized"))
            #expect(status["code"] == .int(401))
        }
    }

    @Test("A write without credentials stores nothing")
    func unauthenticatedWrite() async throws {
        try await TestAPI.with { api async throws in
            let revision = try await api.revision()
            let response = try await api.send(.post, "/api/v1/namespaces/default/configmaps", json: TestAPI.configMap("x"), token: nil)
            #expect(response.status == 401)
            #expect(try await api.revision() == revision)
        }
    }

    @Test("Unknown paths are 404 with a NotFound Status", arguments: [
        "/", "/foo", "/apis/nope", "/apis/nope/v1", "/apis/apps/v9", "/api/v2", "/api/v1/nothings",
        "/apis/apps/v1/nothings", "/api/v1/namespaces/default/nothings", "/api/v1/namespaces/default/pods/p/x/y",
        "/api/v1/pods/p", "/openapi/v3/apis/nope/v1", "/openapi/v4",
    ])
    func unknownPaths(path: String) async throws {
        try await TestAPI.with { api async throws in
            let response = try await api.get(path)
            #expect(response.status == 404)
            let status = try response.json()
            #expect(status["kind"] == .string("Status"))
            #expect(status["reason"] == .string("NotFound"))
            #expect(status["code"] == .int(404))
        }
    }

    @Test("A missing object is 404 naming the resource and the object")
    func missingObject() async throws {
        try await TestAPI.with { api async throws in
            let pod = try await api.get("/api/v1/namespaces/default/pods/missing").json()
            #expect(pod["message"] == .string(#"pods "missing" not found"#))
            #expect(pod["details"]?["kind"] == .string("pods"))
            #expect(pod["details"]?["name"] == .string("missing"))
            let deployment = try await api.get("/apis/apps/v1/namespaces/default/deployments/missing").json()
            #expect(deployment["message"] == .string(#"deployments.apps "missing" not found"#))
            #expect(deployment["details"]?["group"] == .string("apps"))
            let namespace = try await api.get("/api/v1/namespaces/missing").json()
            #expect(namespace["message"] == .string(#"namespaces "missing" not found"#))
        }
    }

    @Test("Methods a path does not support are 405 with a Status", arguments: [
        ("PUT", "/api/v1/namespaces/default/configmaps"),
        ("PATCH", "/api/v1/namespaces/default/configmaps"),
        ("POST", "/api/v1/namespaces/default/configmaps/cm"),
        ("POST", "/api/v1/configmaps"),
        ("OPTIONS", "/api/v1/namespaces/default/configmaps"),
    ])
    func wrongMethod(method: String, path: String) async throws {
        try await TestAPI.with { api async throws in
            try await api.create("/api/v1/namespaces/default/configmaps", TestAPI.configMap("cm"))
            let response = try await api.send(HTTPRequest.Method(method)!, path, body: Data("{}".utf8), contentType: "application/json")
            #expect(response.status == 405)
            let status = try response.json()
            #expect(status["kind"] == .string("Status"))
            #expect(status["reason"] == .string("MethodNotAllowed"))
        }
    }

    @Test("Legacy discovery: /api, /apis, /api/v1, /apis/apps, /apis/apps/v1")
    func legacyDiscovery() async throws {
        try await TestAPI.with { api async throws in
            let versions = try await api.get("/api").json()
            #expect(versions["kind"] == .string("APIVersions"))
            #expect(versions["versions"] == .array([.string("v1")]))

            let groups = try await api.get("/apis").json()
            #expect(groups["kind"] == .string("APIGroupList"))
            let names = (groups["groups"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
            #expect(names.contains("apps"))

            let core = try await api.get("/api/v1").json()
            #expect(core["kind"] == .string("APIResourceList"))
            #expect(core["groupVersion"] == .string("v1"))
            let resources = (core["resources"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
            #expect(resources.contains("pods"))
            #expect(resources.contains("pods/status"))

            #expect(try await api.get("/apis/apps").json()["kind"] == .string("APIGroup"))
            let apps = try await api.get("/apis/apps/v1").json()
            let appsResources = (apps["resources"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
            #expect(appsResources.contains("deployments/scale"))
        }
    }

    @Test("Aggregated discovery comes with its exact Content-Type")
    func aggregatedDiscovery() async throws {
        try await TestAPI.with { api async throws in
            let accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
                + "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"
            let response = try await api.get("/apis", accept: accept)
            #expect(response.status == 200)
            #expect(response.values("Content-Type") == ["application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"])
            #expect(try response.json()["kind"] == .string("APIGroupDiscoveryList"))
        }
    }

    @Test("OpenAPI v3 index and documents, with an ETag")
    func openAPI() async throws {
        try await TestAPI.with { api async throws in
            let index = try await api.get("/openapi/v3").json()
            let url = try #require(index["paths"]?["api/v1"]?["serverRelativeURL"]?.stringValue)
            #expect(url.hasPrefix("/openapi/v3/api/v1"))
            let document = try await api.get(url)
            #expect(document.status == 200)
            #expect(document.values("ETag").count == 1)
            #expect(try await api.get("/openapi/v2").status == 200)
        }
    }

    @Test("Errors are JSON with Content-Type application/json")
    func errorContentType() async throws {
        try await TestAPI.with { api async throws in
            let response = try await api.get("/api/v1/namespaces/default/pods/missing")
            #expect(response.values("Content-Type") == ["application/json"])
        }
    }
}
