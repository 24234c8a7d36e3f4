import APIModel
import Foundation
import Testing
@testable import APIServer

@Suite("Discovery documents")
struct DiscoveryTests {
    static let documents = DiscoveryDocuments(registry: .builtin, serverAddress: "127.0.0.1:6443")

    // MARK: Negotiation

    @Test("kubectl 1.30–1.33 get v2: its Accept lists v2 before v2beta1")
    func kubectl132PicksV2() {
        let accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
            + "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"
        #expect(DiscoveryDocuments.negotiate(accept: accept) == .v2)
    }

    @Test("kubectl 1.27–1.29 get v2beta1: they know nothing else")
    func kubectl127PicksV2beta1() {
        let accept = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"
        #expect(DiscoveryDocuments.negotiate(accept: accept) == .v2beta1)
    }

    @Test("Plain JSON, the Python client and helpers get legacy discovery", arguments: [
        "application/json", "application/json, */*", "*/*", "", "application/yaml",
        "application/json,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
    ])
    func plainJSONIsLegacy(accept: String) {
        #expect(DiscoveryDocuments.negotiate(accept: accept) == nil)
    }

    @Test("Ranges that cannot be produced are skipped; spaces, quotes and q are understood")
    func negotiationDetails() {
        let protobufFirst = "application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
            + "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"
        #expect(DiscoveryDocuments.negotiate(accept: protobufFirst) == .v2)
        #expect(DiscoveryDocuments.negotiate(
            accept: "application/json; g=apidiscovery.k8s.io; v=\"v2beta1\"; as=APIGroupDiscoveryList") == .v2beta1)
        #expect(DiscoveryDocuments.negotiate(
            accept: "application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,application/json") == nil)
        #expect(DiscoveryDocuments.negotiate(
            accept: "application/json;q=0.5,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList") == .v2)
        #expect(DiscoveryDocuments.negotiate(
            accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;q=0,application/json") == nil)
    }

    @Test("The aggregated Content-Type is exactly what clients compare against")
    func contentTypes() {
        #expect(DiscoveryDocuments.contentType(.v2) == "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
        #expect(DiscoveryDocuments.contentType(.v2beta1)
            == "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList")
    }

    // MARK: Aggregated

    @Test("/api aggregated: the core group with pods, their short name, category and status")
    func aggregatedCore() throws {
        let list = try parse(Self.documents.aggregated(core: true, version: .v2))
        #expect(list["kind"] == .string("APIGroupDiscoveryList"))
        #expect(list["apiVersion"] == .string("apidiscovery.k8s.io/v2"))
        let items = try #require(list["items"]?.arrayValue)
        #expect(items.count == 1)
        #expect(items[0]["metadata"]?["name"] == nil)
        let version = try #require(items[0]["versions"]?.arrayValue?.first)
        #expect(version["version"] == .string("v1"))
        #expect(version["freshness"] == .string("Current"))
        let pods = try #require(resource("pods", in: version))
        #expect(pods["shortNames"] == .array([.string("po")]))
        #expect(pods["categories"] == .array([.string("all")]))
        #expect(pods["scope"] == .string("Namespaced"))
        #expect(pods["singularResource"] == .string("pod"))
        #expect(pods["responseKind"] == kind("", "", "Pod"))
        #expect(pods["verbs"] == strings("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"))
        let subresources = try #require(pods["subresources"]?.arrayValue)
        #expect(subresources.map { $0["subresource"] }
                == [.string("binding"), .string("eviction"), .string("exec"), .string("log"), .string("portforward"), .string("status")])
        #expect(subresources[1]["responseKind"] == kind("policy", "v1", "Eviction"))
        #expect(subresources[1]["verbs"] == strings("create"))
        #expect(subresources[2]["responseKind"] == kind("", "v1", "PodExecOptions"))
        #expect(subresources[2]["verbs"] == strings("create", "get"))
        #expect(subresources[3]["responseKind"] == kind("", "", "Pod"))
        #expect(subresources[3]["verbs"] == strings("get"))
        #expect(subresources[4]["responseKind"] == kind("", "v1", "PodPortForwardOptions"))
        #expect(subresources[4]["verbs"] == strings("create", "get"))
        let status = subresources[5]
        #expect(status["responseKind"] == kind("", "", "Pod"))
        #expect(status["verbs"] == strings("get", "patch", "update"))
        let namespaces = try #require(resource("namespaces", in: version))
        #expect(namespaces["scope"] == .string("Cluster"))
        #expect(namespaces["verbs"] == strings("create", "delete", "get", "list", "patch", "update", "watch"))
    }

    @Test("/apis aggregated: served groups in registry order, deployments with the autoscaling/v1 Scale subresource")
    func aggregatedGroups() throws {
        let list = try parse(Self.documents.aggregated(core: false, version: .v2))
        let items = try #require(list["items"]?.arrayValue)
        #expect(items.map { $0["metadata"]?["name"] } == ["apps", "authorization.k8s.io", "coordination.k8s.io", "discovery.k8s.io"].map(JSONValue.string))
        let apps = try #require(items[0]["versions"]?.arrayValue?.first)
        let deployments = try #require(resource("deployments", in: apps))
        #expect(deployments["shortNames"] == .array([.string("deploy")]))
        #expect(deployments["categories"] == .array([.string("all")]))
        let subresources = try #require(deployments["subresources"]?.arrayValue)
        let scale = try #require(subresources.first { $0["subresource"] == .string("scale") })
        #expect(scale["responseKind"] == kind("autoscaling", "v1", "Scale"))
        #expect(scale["verbs"] == strings("get", "patch", "update"))
        #expect(subresources.contains { $0["subresource"] == .string("status") })
    }

    @Test("v2beta1 differs from v2 only in apiVersion")
    func v2beta1SameShape() throws {
        for core in [true, false] {
            var beta = try parse(Self.documents.aggregated(core: core, version: .v2beta1))
            #expect(beta["apiVersion"] == .string("apidiscovery.k8s.io/v2beta1"))
            guard case .object(var members) = beta else { Issue.record("not an object"); return }
            members["apiVersion"] = .string("apidiscovery.k8s.io/v2")
            beta = .object(members)
            #expect(beta == (try parse(Self.documents.aggregated(core: core, version: .v2))))
        }
    }

    // MARK: Legacy

    @Test("/api: APIVersions with the server address")
    func apiVersions() throws {
        let body = try parse(Self.documents.apiVersions())
        #expect(body["kind"] == .string("APIVersions"))
        #expect(body["versions"] == strings("v1"))
        #expect(body["serverAddressByClientCIDRs"] == .array([.object([
            "clientCIDR": .string("0.0.0.0/0"), "serverAddress": .string("127.0.0.1:6443"),
        ])]))
    }

    @Test("/apis and /apis/<group>: served groups only, first version preferred")
    func apiGroups() throws {
        let list = try parse(Self.documents.apiGroupList())
        #expect(list["kind"] == .string("APIGroupList"))
        #expect(list["apiVersion"] == .string("v1"))
        let groups = try #require(list["groups"]?.arrayValue)
        #expect(groups.map { $0["name"] } == ["apps", "authorization.k8s.io", "coordination.k8s.io", "discovery.k8s.io"].map(JSONValue.string))
        let apps = try parse(try #require(Self.documents.apiGroup("apps")))
        #expect(apps["kind"] == .string("APIGroup"))
        #expect(apps["preferredVersion"] == .object(["groupVersion": .string("apps/v1"), "version": .string("v1")]))
        #expect(apps["versions"] == .array([.object(["groupVersion": .string("apps/v1"), "version": .string("v1")])]))
        #expect(Self.documents.apiGroup("autoscaling") == nil)
        #expect(Self.documents.apiGroup("") == nil)
    }

    @Test("/api/v1: resources with Kubernetes' storage version hashes, then their subresources")
    func coreResourceList() throws {
        let list = try parse(try #require(Self.documents.apiResourceList(group: "", version: "v1")))
        #expect(list["kind"] == .string("APIResourceList"))
        #expect(list["groupVersion"] == .string("v1"))
        let resources = try #require(list["resources"]?.arrayValue)
        let names = resources.compactMap { $0["name"]?.stringValue }
        #expect(names == names.sorted())
        let pods = try #require(resources.first { $0["name"] == .string("pods") })
        #expect(pods["singularName"] == .string("pod"))
        #expect(pods["namespaced"] == .bool(true))
        #expect(pods["kind"] == .string("Pod"))
        #expect(pods["shortNames"] == strings("po"))
        #expect(pods["categories"] == strings("all"))
        #expect(pods["storageVersionHash"] == .string("xPOwRZ+Yhw8="))
        let status = try #require(resources.first { $0["name"] == .string("pods/status") })
        #expect(status["verbs"] == strings("get", "patch", "update"))
        #expect(status["kind"] == .string("Pod"))
        #expect(status["group"] == nil)
        let rcScale = try #require(resources.first { $0["name"] == .string("replicationcontrollers/scale") })
        #expect(rcScale["group"] == .string("autoscaling"))
        let namespaces = try #require(resources.first { $0["name"] == .string("namespaces") })
        #expect(namespaces["storageVersionHash"] == .string("Q3oi5N2YM8M="))
    }

    @Test("/apis/apps/v1: deployments/scale names autoscaling/v1 Scale")
    func appsResourceList() throws {
        let list = try parse(try #require(Self.documents.apiResourceList(group: "apps", version: "v1")))
        #expect(list["groupVersion"] == .string("apps/v1"))
        let resources = try #require(list["resources"]?.arrayValue)
        let deployments = try #require(resources.first { $0["name"] == .string("deployments") })
        #expect(deployments["storageVersionHash"] == .string("8aSe+NMegvE="))
        let scale = try #require(resources.first { $0["name"] == .string("deployments/scale") })
        #expect(scale["group"] == .string("autoscaling"))
        #expect(scale["version"] == .string("v1"))
        #expect(scale["kind"] == .string("Scale"))
        #expect(scale["singularName"] == .string(""))
        #expect(Self.documents.apiResourceList(group: "apps", version: "v1beta1") == nil)
        #expect(Self.documents.apiResourceList(group: "autoscaling", version: "v1") == nil)
        #expect(Self.documents.apiResourceList(group: "coordination.k8s.io", version: "v1") != nil)
    }

    @Test("SHA-256 matches the standard test vectors")
    func digest() {
        #expect(DocumentDigest.sha256UpperHex("abc".utf8)
            == "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD")
        #expect(DocumentDigest.sha256UpperHex("".utf8)
            == "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")
        let long = String(repeating: "a", count: 1000)
        #expect(DocumentDigest.sha256UpperHex(long.utf8)
            == "41EDECE42D63E8D9BF515A9BA6932E1C20CBC9F5A5D134645ADB5DB1B9737EA3")
    }
}

private func parse(_ data: Data) throws -> JSONValue {
    try JSONValue(parsing: data)
}

private func resource(_ name: String, in version: JSONValue) -> JSONValue? {
    version["resources"]?.arrayValue?.first { $0["resource"] == .string(name) }
}

private func kind(_ group: String, _ version: String, _ kind: String) -> JSONValue {
    .object(["group": .string(group), "version": .string(version), "kind": .string(kind)])
}

private func strings(_ values: String...) -> JSONValue {
    .array(values.map(JSONValue.string))
}
