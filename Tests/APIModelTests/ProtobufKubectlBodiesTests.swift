import Foundation
import Testing
import APIModel

/// The decoded kubectl bodies (CapturedBodies, in ProtobufCapturedBodiesTests.swift) field by field, and
/// through the typed model as the JSON create path decodes them.
@Suite struct ProtobufKubectlBodiesTests {
    private func decoded(_ body: CapturedBody) throws -> JSONValue {
        try KubernetesProtobuf.decodeToJSONValue(body.protobuf)
    }

    /// Decodes the JSON into `T` the way the create path does, failing on fields the model does not know
    /// (kubectl asks for `fieldValidation=Strict`).
    private func typed<T: Decodable>(_ type: T.Type, _ body: CapturedBody) throws -> T {
        let collector = UnknownFieldCollector()
        let decoder = JSONDecoder()
        decoder.userInfo[.unknownFieldCollector] = collector
        let value = try decoder.decode(T.self, from: try KubernetesProtobuf.decodeToJSON(body.protobuf))
        #expect(collector.unknownFields.isEmpty)
        return value
    }

    @Test func namespace() throws {
        let json = try decoded(CapturedBodies.namespace)
        #expect(json == .object([
            "apiVersion": .string("v1"), "kind": .string("Namespace"),
            "metadata": .object(["name": .string("team-a")]),
            "spec": .object([:]), "status": .object([:]),
        ]))
        let namespace = try typed(Namespace.self, CapturedBodies.namespace)
        #expect(namespace.metadata?.name == "team-a")
        #expect(namespace.metadata?.creationTimestamp == nil)
    }

    @Test func deployment() throws {
        let json = try decoded(CapturedBodies.deployment)
        #expect(json["apiVersion"] == .string("apps/v1"))
        #expect(json["kind"] == .string("Deployment"))
        #expect(json["metadata"]?["name"] == .string("web"))
        #expect(json["metadata"]?["labels"] == .object(["app": .string("web")]))
        let spec = try #require(json["spec"])
        #expect(spec["replicas"] == .int(3))
        #expect(spec["selector"] == .object(["matchLabels": .object(["app": .string("web")])]))
        #expect(spec["strategy"] == .object([:]))
        #expect(spec["template"]?["metadata"]?["labels"] == .object(["app": .string("web")]))
        let container = try #require(spec["template"]?["spec"]?["containers"]?.arrayValue?.first)
        #expect(container == .object([
            "name": .string("nginx"), "image": .string("nginx:1.27"),
            "ports": .array([.object(["containerPort": .int(80)])]),
            "resources": .object([:]),
        ]))
        #expect(json["status"] == .object([:]))

        let deployment = try typed(Deployment.self, CapturedBodies.deployment)
        #expect(deployment.spec?.replicas == 3)
        #expect(deployment.spec?.template?.spec?.containers?.first?.ports?.first?.containerPort == 80)
    }

    /// `replicas` is a pointer: present with 0, it stays.
    @Test func deploymentWithZeroReplicasKeepsReplicas() throws {
        let json = try decoded(CapturedBodies.deploymentZeroReplicas)
        #expect(json["spec"]?["replicas"] == .int(0))
        #expect(try typed(Deployment.self, CapturedBodies.deploymentZeroReplicas).spec?.replicas == 0)
    }

    @Test func deploymentWithTwoImages() throws {
        let containers = try decoded(CapturedBodies.deploymentTwoImages)["spec"]?["template"]?["spec"]?["containers"]
        #expect(containers?.arrayValue?.compactMap { $0["image"]?.stringValue } == ["busybox", "nginx"])
        #expect(containers?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["busybox", "nginx"])
    }

    @Test func configMap() throws {
        let json = try decoded(CapturedBodies.configmap)
        #expect(json["data"] == .object(["a": .string("b")]))
        #expect(json["binaryData"] == nil)
        #expect(try typed(ConfigMap.self, CapturedBodies.configmap).data == ["a": "b"])

        let fromFile = try decoded(CapturedBodies.configmapFromFile)
        #expect(fromFile["metadata"]?["namespace"] == .string("team-a"))
        #expect(fromFile["data"] == .object(["greeting.txt": .string("hello\nworld\n"), "x": .string("y")]))
    }

    /// `map[string][]byte` values are base64 in JSON.
    @Test func secret() throws {
        let json = try decoded(CapturedBodies.secret)
        #expect(json["data"] == .object(["k": .string(Data("v".utf8).base64EncodedString())]))
        #expect(json["type"] == nil)
        #expect(try typed(Secret.self, CapturedBodies.secret).data == ["k": Data("v".utf8)])

        let two = try typed(Secret.self, CapturedBodies.secretTwoLiterals)
        #expect(two.data == ["user": Data("admin".utf8), "pass": Data("p@ss w0rd".utf8)])
        #expect(two.type == "Opaque")

        let registry = try typed(Secret.self, CapturedBodies.secretDockerRegistry)
        #expect(registry.type == "kubernetes.io/dockerconfigjson")
        let config = try #require(registry.data?[".dockerconfigjson"])
        #expect(try JSONValue(parsing: config)["auths"]?["r.io"]?["username"] == .string("u"))
    }

    /// `targetPort` is an IntOrString: a number from `--tcp=80:8080`, a string from `--tcp=80:http`.
    @Test func serviceClusterIP() throws {
        let json = try decoded(CapturedBodies.serviceClusterIP)
        let port = try #require(json["spec"]?["ports"]?.arrayValue?.first)
        #expect(port == .object([
            "name": .string("80-8080"), "protocol": .string("TCP"), "port": .int(80), "targetPort": .int(8080),
        ]))
        #expect(json["spec"]?["type"] == .string("ClusterIP"))
        #expect(json["spec"]?["selector"] == .object(["app": .string("svc1")]))
        #expect(json["status"] == .object(["loadBalancer": .object([:])]))
        let service = try typed(Service.self, CapturedBodies.serviceClusterIP)
        #expect(service.spec?.ports?.first?.targetPort == .int(8080))
    }

    @Test func serviceNodePortWithNamedTargetPort() throws {
        let port = try #require(try decoded(CapturedBodies.serviceNodePort)["spec"]?["ports"]?.arrayValue?.first)
        #expect(port["targetPort"] == .string("http"))
        #expect(port["nodePort"] == .int(30080))
        let service = try typed(Service.self, CapturedBodies.serviceNodePort)
        #expect(service.spec?.ports?.first?.targetPort == .string("http"))
        #expect(service.spec?.type == "NodePort")
    }

    @Test func otherServices() throws {
        #expect(try decoded(CapturedBodies.serviceExternalName)["spec"]?["externalName"] == .string("example.com"))
        #expect(try decoded(CapturedBodies.serviceHeadless)["spec"]?["clusterIP"] == .string("None"))
        #expect(try typed(Service.self, CapturedBodies.serviceLoadBalancer).spec?.type == "LoadBalancer")
    }

    @Test func serviceAccount() throws {
        #expect(try decoded(CapturedBodies.serviceAccount) == .object([
            "apiVersion": .string("v1"), "kind": .string("ServiceAccount"),
            "metadata": .object(["name": .string("sa1")]),
        ]))
        #expect(try typed(ServiceAccount.self, CapturedBodies.serviceAccount).metadata?.name == "sa1")
    }

    /// `status.allowed` has no `omitempty`: false is written.
    @Test func selfSubjectAccessReview() throws {
        let pods = try decoded(CapturedBodies.canICreatePods)
        #expect(pods["apiVersion"] == .string("authorization.k8s.io/v1"))
        #expect(pods["kind"] == .string("SelfSubjectAccessReview"))
        #expect(pods["spec"] == .object(["resourceAttributes": .object([
            "namespace": .string("default"), "verb": .string("create"), "resource": .string("pods"),
        ])]))
        #expect(pods["status"] == .object(["allowed": .bool(false)]))

        let logs = try decoded(CapturedBodies.canIGetLogs)
        #expect(logs["spec"] == .object(["nonResourceAttributes": .object([
            "path": .string("/logs"), "verb": .string("get"),
        ])]))
    }
}
