import APIModel
import Foundation
import Testing
@testable import APIServer

/// ConfigMap, Secret, Namespace and Node validation, and the name rules of several kinds.
@Suite("Config, namespace and node validation")
struct ConfigValidationTests {
    static let configMaps = "/api/v1/namespaces/default/configmaps"
    static let secrets = "/api/v1/namespaces/default/secrets"
    static let keyMessage = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"

    static let cases: [Rejection] = [
        Rejection(label: "config map key with a space", path: configMaps,
                  body: #"{"metadata":{"name":"bad"},"data":{"a b":"1"}}"#,
                  causes: [#"data[a b]: Invalid value: "a b": "# + keyMessage]),
        Rejection(label: "config map key '..'", path: configMaps,
                  body: #"{"metadata":{"name":"bad"},"data":{"..":"1"}}"#,
                  causes: [#"data[..]: Invalid value: "..": must not be '..'"#]),
        Rejection(label: "config map key in data and binaryData", path: configMaps,
                  body: #"{"metadata":{"name":"bad"},"data":{"k":"1"},"binaryData":{"k":"MQ=="}}"#,
                  causes: [#"data[k]: Invalid value: "k": duplicate of key present in binaryData"#]),
        Rejection(label: "config map over 1 MiB", path: configMaps,
                  body: #"{"metadata":{"name":"bad"},"data":{"big":"\#(String(repeating: "x", count: 1024 * 1024 + 1))"}}"#,
                  causes: [": Too long: may not be more than 1048576 bytes"]),
        Rejection(label: "secret key with a slash", path: secrets,
                  body: #"{"metadata":{"name":"bad"},"stringData":{"a/b":"1"}}"#,
                  causes: [#"data[a/b]: Invalid value: "a/b": "# + keyMessage]),
        Rejection(label: "TLS secret without its keys", path: secrets,
                  body: #"{"metadata":{"name":"bad"},"type":"kubernetes.io/tls","stringData":{"tls.crt":"x"}}"#,
                  causes: ["data[tls.key]: Required value"]),
        Rejection(label: "secret over 1 MiB", path: secrets,
                  body: #"{"metadata":{"name":"bad"},"stringData":{"big":"\#(String(repeating: "x", count: 1024 * 1024 + 1))"}}"#,
                  causes: ["data: Too long: may not be more than 1048576 bytes"]),
        Rejection(label: "namespace name not a DNS label", path: "/api/v1/namespaces",
                  body: #"{"metadata":{"name":"team.a"}}"#,
                  causes: [#"metadata.name: Invalid value: "team.a": must not contain dots"#]),
        Rejection(label: "namespace with an unknown finalizer", path: "/api/v1/namespaces",
                  body: #"{"metadata":{"name":"bad"},"spec":{"finalizers":["cleanup"]}}"#,
                  causes: [#"spec.finalizers: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified"#]),
        Rejection(label: "node with an unknown taint effect", path: "/api/v1/nodes",
                  body: #"{"metadata":{"name":"bad"},"spec":{"taints":[{"key":"gpu","effect":"NoRun"}]}}"#,
                  causes: [#"metadata.taints[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute""#]),
        Rejection(label: "node with a taint without effect", path: "/api/v1/nodes",
                  body: #"{"metadata":{"name":"bad"},"spec":{"taints":[{"key":"gpu"}]}}"#,
                  causes: ["metadata.taints[0].effect: Required value"]),
        Rejection(label: "node with the same taint twice", path: "/api/v1/nodes",
                  body: #"{"metadata":{"name":"bad"},"spec":{"taints":[{"key":"gpu","effect":"NoSchedule"},{"key":"gpu","value":"x","effect":"NoSchedule"}]}}"#,
                  causes: [#"metadata.taints[1]: Duplicate value: core.Taint{Key:"gpu", Value:"x", Effect:"NoSchedule", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair"#]),
        Rejection(label: "node with a pod CIDR that does not parse", path: "/api/v1/nodes",
                  body: #"{"metadata":{"name":"bad"},"spec":{"podCIDR":"10.244.0.0/33"}}"#,
                  causes: [#"spec.podCIDRs[0]: Invalid value: []string{"10.244.0.0/33"}: must be valid CIDR"#]),
        Rejection(label: "node with two IPv4 pod CIDRs", path: "/api/v1/nodes",
                  body: #"{"metadata":{"name":"bad"},"spec":{"podCIDRs":["10.244.0.0/24","10.245.0.0/24"]}}"#,
                  causes: [#"spec.podCIDRs: Invalid value: []string{"10.244.0.0/24", "10.245.0.0/24"}: may specify no more than one CIDR for each IP family"#]),
        Rejection(label: "deployment name not a DNS subdomain", path: "/apis/apps/v1/namespaces/default/deployments",
                  body: #"{"metadata":{"name":"Web"},"spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"a","image":"x"}]}}}}"#,
                  causes: [#"metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#]),
    ]

    @Test("Invalid config maps, secrets, namespaces and nodes are refused with Kubernetes' causes", arguments: cases)
    func invalid(_ rejection: Rejection) async throws {
        try await TestAPI.with { api async throws in
            _ = try await api.expectInvalid(rejection.path, rejection.body, causes: rejection.causes)
        }
    }

    @Test("An immutable ConfigMap refuses data changes and un-setting immutable; metadata may still change")
    func immutableConfigMap() async throws {
        try await TestAPI.with { api async throws in
            try await api.create(Self.configMaps, #"{"metadata":{"name":"frozen"},"data":{"k":"v"},"immutable":true}"#)
            let data = try await api.patch(Self.configMaps + "/frozen", #"{"data":{"k":"w"}}"#)
            #expect(data.status == 422)
            #expect(try data.json()["message"] == .string(#"ConfigMap "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set"#))
            let flag = try await api.patch(Self.configMaps + "/frozen", #"{"immutable":false}"#)
            #expect(try flag.json()["message"] == .string(#"ConfigMap "frozen" is invalid: immutable: Forbidden: field is immutable when `immutable` is set"#))
            #expect(try await api.patch(Self.configMaps + "/frozen", #"{"metadata":{"labels":{"a":"b"}}}"#).status == 200)
            #expect(try await api.get(Self.configMaps + "/frozen").json()["data"] == .object(["k": .string("v")]))
        }
    }

    @Test("A Secret's type cannot change; an immutable Secret refuses data changes")
    func secretUpdates() async throws {
        try await TestAPI.with { api async throws in
            try await api.create(Self.secrets, #"{"metadata":{"name":"s"},"stringData":{"k":"v"}}"#)
            let type = try await api.patch(Self.secrets + "/s", #"{"type":"kubernetes.io/basic-auth","stringData":{"username":"u"}}"#)
            #expect(try type.json()["message"] == .string(#"Secret "s" is invalid: type: Invalid value: "kubernetes.io/basic-auth": field is immutable"#))
            #expect(try await api.patch(Self.secrets + "/s", #"{"immutable":true}"#).status == 200)
            let data = try await api.patch(Self.secrets + "/s", #"{"stringData":{"k":"w"}}"#)
            #expect(try data.json()["message"] == .string(#"Secret "s" is invalid: data: Forbidden: field is immutable when `immutable` is set"#))
        }
    }
}
