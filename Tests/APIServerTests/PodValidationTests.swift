import APIModel
import Foundation
import Testing
@testable import APIServer

/// Pod validation through the API: each bad pod is answered 422 with Kubernetes' field paths and messages,
/// and nothing is stored.
@Suite("Pod validation")
struct PodValidationTests {
    static let pods = "/api/v1/namespaces/default/pods"
    static let labelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"

    /// A pod named `bad` with the given spec (JSON).
    static func pod(_ spec: String) -> String {
        #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"bad"},"spec":\#(spec)}"#
    }

    /// A pod with one container `app` (image nginx) extended by `container` members and `spec` members.
    static func pod(container: String = "", spec: String = "") -> String {
        let extra = container.isEmpty ? "" : "," + container
        let more = spec.isEmpty ? "" : "," + spec
        return pod(#"{"containers":[{"name":"app","image":"nginx"\#(extra)}]\#(more)}"#)
    }

    static let cases: [Rejection] = [
        Rejection(label: "no containers", path: pods, body: pod("{}"),
                  causes: ["spec.containers: Required value"]),
        Rejection(label: "no image", path: pods, body: pod(#"{"containers":[{"name":"app"}]}"#),
                  causes: ["spec.containers[0].image: Required value"]),
        Rejection(label: "no container name", path: pods, body: pod(#"{"containers":[{"image":"nginx"}]}"#),
                  causes: ["spec.containers[0].name: Required value"]),
        Rejection(label: "container name not a DNS label", path: pods,
                  body: pod(#"{"containers":[{"name":"App_1","image":"nginx"}]}"#),
                  causes: [#"spec.containers[0].name: Invalid value: "App_1": "# + labelMessage]),
        Rejection(label: "duplicate container names", path: pods,
                  body: pod(#"{"containers":[{"name":"app","image":"a"},{"name":"app","image":"b"}]}"#),
                  causes: [#"spec.containers[1].name: Duplicate value: "app""#]),
        Rejection(label: "init container named like a container", path: pods,
                  body: pod(#"{"containers":[{"name":"app","image":"a"}],"initContainers":[{"name":"app","image":"b"}]}"#),
                  causes: [#"spec.initContainers[0].name: Duplicate value: "app""#]),
        Rejection(label: "image with surrounding whitespace", path: pods,
                  body: pod(#"{"containers":[{"name":"app","image":" nginx"}]}"#),
                  causes: [#"spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace"#]),
        Rejection(label: "container port missing", path: pods, body: pod(container: #""ports":[{"name":"http"}]"#),
                  causes: ["spec.containers[0].ports[0].containerPort: Required value"]),
        Rejection(label: "container port out of range", path: pods, body: pod(container: #""ports":[{"containerPort":70000}]"#),
                  causes: ["spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"]),
        Rejection(label: "host port out of range", path: pods,
                  body: pod(container: #""ports":[{"containerPort":80,"hostPort":-1}]"#),
                  causes: ["spec.containers[0].ports[0].hostPort: Invalid value: -1: must be between 1 and 65535, inclusive"]),
        Rejection(label: "unknown port protocol", path: pods,
                  body: pod(container: #""ports":[{"containerPort":80,"protocol":"HTTP"}]"#),
                  causes: [#"spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP""#]),
        Rejection(label: "bad port name", path: pods,
                  body: pod(container: #""ports":[{"containerPort":80,"name":"HTTP"}]"#),
                  causes: [#"spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"#,
                           #"spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain at least one letter (a-z)"#]),
        Rejection(label: "port name with two hyphens in a row", path: pods,
                  body: pod(container: #""ports":[{"containerPort":80,"name":"http--port"}]"#),
                  causes: [#"spec.containers[0].ports[0].name: Invalid value: "http--port": must not contain consecutive hyphens"#]),
        Rejection(label: "duplicate port names", path: pods,
                  body: pod(container: #""ports":[{"containerPort":80,"name":"web"},{"containerPort":81,"name":"web"}]"#),
                  causes: [#"spec.containers[0].ports[1].name: Duplicate value: "web""#]),
        Rejection(label: "same host port and protocol twice", path: pods,
                  body: pod(#"{"containers":[{"name":"a","image":"x","ports":[{"containerPort":80,"hostPort":8080}]},{"name":"b","image":"x","ports":[{"containerPort":81,"hostPort":8080}]}]}"#),
                  causes: [#"spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080""#]),
        Rejection(label: "host network with a different host port", path: pods,
                  body: pod(container: #""ports":[{"containerPort":80,"hostPort":8080}]"#, spec: #""hostNetwork":true"#),
                  causes: ["spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true"]),
        Rejection(label: "env name with =", path: pods, body: pod(container: #""env":[{"name":"A=B","value":"1"}]"#),
                  causes: [#"spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='"#]),
        Rejection(label: "env name quoted as Go quotes it", path: pods, body: pod(container: #""env":[{"name":"A\"=\tB","value":"1"}]"#),
                  causes: [#"spec.containers[0].env[0].name: Invalid value: "A\"=\tB": a valid environment variable name must consist only of printable ASCII characters other than '='"#]),
        Rejection(label: "env name missing", path: pods, body: pod(container: #""env":[{"value":"1"}]"#),
                  causes: ["spec.containers[0].env[0].name: Required value"]),
        Rejection(label: "env value and valueFrom", path: pods,
                  body: pod(container: #""env":[{"name":"A","value":"1","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}]"#),
                  causes: [#"spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty"#]),
        Rejection(label: "volume name not a DNS label", path: pods,
                  body: pod(spec: #""volumes":[{"name":"Data","emptyDir":{}}]"#),
                  causes: [#"spec.volumes[0].name: Invalid value: "Data": "# + labelMessage]),
        Rejection(label: "duplicate volume names", path: pods,
                  body: pod(spec: #""volumes":[{"name":"data","emptyDir":{}},{"name":"data","emptyDir":{}}]"#),
                  causes: [#"spec.volumes[1].name: Duplicate value: "data""#]),
        Rejection(label: "volume with two sources", path: pods,
                  body: pod(spec: #""volumes":[{"name":"data","emptyDir":{},"configMap":{"name":"cm"}}]"#),
                  causes: ["spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type"]),
        Rejection(label: "configMap volume without a name", path: pods,
                  body: pod(spec: #""volumes":[{"name":"data","configMap":{}}]"#),
                  causes: ["spec.volumes[0].configMap.name: Required value"]),
        Rejection(label: "hostPath of an unknown type", path: pods,
                  body: pod(spec: #""volumes":[{"name":"data","hostPath":{"path":"/tmp","type":"Pipe"}}]"#),
                  causes: [#"spec.volumes[0].hostPath.type: Unsupported value: "Pipe": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket""#]),
        Rejection(label: "mount of a missing volume", path: pods,
                  body: pod(container: #""volumeMounts":[{"name":"missing","mountPath":"/data"}]"#),
                  causes: [#"spec.containers[0].volumeMounts[0].name: Not found: "missing""#]),
        Rejection(label: "mount without a path", path: pods,
                  body: pod(container: #""volumeMounts":[{"name":"data"}]"#, spec: #""volumes":[{"name":"data","emptyDir":{}}]"#),
                  causes: ["spec.containers[0].volumeMounts[0].mountPath: Required value"]),
        Rejection(label: "request above the limit", path: pods,
                  body: pod(container: #""resources":{"limits":{"cpu":"1"},"requests":{"cpu":"2"}}"#),
                  causes: [#"spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1"#]),
        Rejection(label: "negative limit (copied to the request)", path: pods,
                  body: pod(container: #""resources":{"limits":{"memory":"-1Mi"}}"#),
                  causes: [#"spec.containers[0].resources.limits[memory]: Invalid value: "-1Mi": must be greater than or equal to 0"#,
                           #"spec.containers[0].resources.requests[memory]: Invalid value: "-1Mi": must be greater than or equal to 0"#]),
        Rejection(label: "unknown resource", path: pods,
                  body: pod(container: #""resources":{"requests":{"pods":"1"}}"#),
                  causes: [#"spec.containers[0].resources.requests[pods]: Invalid value: "pods": must be a standard resource for containers"#]),
        Rejection(label: "liveness probe without a handler", path: pods,
                  body: pod(container: #""livenessProbe":{"periodSeconds":5}"#),
                  causes: ["spec.containers[0].livenessProbe: Required value: must specify a handler type"]),
        Rejection(label: "liveness probe needing two successes", path: pods,
                  body: pod(container: #""livenessProbe":{"tcpSocket":{"port":80},"successThreshold":2}"#),
                  causes: ["spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"]),
        Rejection(label: "probe with two handlers", path: pods,
                  body: pod(container: #""readinessProbe":{"tcpSocket":{"port":80},"exec":{"command":["true"]}}"#),
                  causes: ["spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type"]),
        Rejection(label: "probe port out of range", path: pods,
                  body: pod(container: #""readinessProbe":{"httpGet":{"port":0}}"#),
                  causes: ["spec.containers[0].readinessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive"]),
        Rejection(label: "unknown pull policy", path: pods, body: pod(container: #""imagePullPolicy":"Sometimes""#),
                  causes: [#"spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never""#]),
        Rejection(label: "unknown restart policy", path: pods, body: pod(spec: #""restartPolicy":"Sometimes""#),
                  causes: [#"spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never""#]),
        Rejection(label: "unknown DNS policy", path: pods, body: pod(spec: #""dnsPolicy":"Google""#),
                  causes: [#"spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None""#]),
        Rejection(label: "node selector value not a label value", path: pods,
                  body: pod(spec: #""nodeSelector":{"disk":"-ssd"}"#),
                  causes: [#"spec.nodeSelector: Invalid value: "-ssd": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"#]),
        Rejection(label: "activeDeadlineSeconds of 0", path: pods, body: pod(spec: #""activeDeadlineSeconds":0"#),
                  causes: ["spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"]),
        Rejection(label: "toleration Exists with a value", path: pods,
                  body: pod(spec: #""tolerations":[{"key":"k","operator":"Exists","value":"v","effect":"NoSchedule"}]"#),
                  causes: [#"spec.tolerations[0].operator: Invalid value: core.Toleration{Key:"k", Operator:"Exists", Value:"v", Effect:"NoSchedule", TolerationSeconds:(*int64)(nil)}: value must be empty when `operator` is 'Exists'"#]),
        Rejection(label: "toleration with an unknown effect", path: pods,
                  body: pod(spec: #""tolerations":[{"key":"k","operator":"Exists","effect":"NoRun"}]"#),
                  causes: [#"spec.tolerations[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute""#]),
        Rejection(label: "toleration without key or Exists", path: pods,
                  body: pod(spec: #""tolerations":[{"operator":"Equal","value":"v"}]"#),
                  causes: [#"spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys""#]),
        Rejection(label: "tolerationSeconds without NoExecute", path: pods,
                  body: pod(spec: #""tolerations":[{"key":"k","operator":"Exists","effect":"NoSchedule","tolerationSeconds":5}]"#),
                  causes: [#"spec.tolerations[0].effect: Invalid value: "NoSchedule": effect must be 'NoExecute' when `tolerationSeconds` is set"#]),
        Rejection(label: "ephemeral containers on create", path: pods,
                  body: pod(spec: #""ephemeralContainers":[{"name":"debug","image":"busybox"}]"#),
                  causes: ["spec.ephemeralContainers: Forbidden: cannot be set on create"]),
        Rejection(label: "bound while still gated", path: pods,
                  body: pod(spec: #""nodeName":"node-1","schedulingGates":[{"name":"example.com/wait"}]"#),
                  causes: ["spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared"]),
        Rejection(label: "several problems at once, in Kubernetes' order", path: pods,
                  body: pod(#"{"volumes":[{"name":"v","emptyDir":{}}],"containers":[{"name":"app"}],"restartPolicy":"Sometimes"}"#),
                  causes: ["spec.containers[0].image: Required value",
                           #"spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never""#]),
    ]

    @Test("Invalid pods are refused with the causes Kubernetes names, and not stored", arguments: cases)
    func invalidPod(_ rejection: Rejection) async throws {
        try await TestAPI.with { api async throws in
            try await api.expectInvalid(rejection.path, rejection.body, causes: rejection.causes)
            #expect(try await api.get(rejection.path + "/bad").status == 404)
        }
    }

    @Test("The whole message reads as Kubernetes' for one cause and for several")
    func messages() async throws {
        try await TestAPI.with { api async throws in
            let one = try await api.post(Self.pods, Self.pod(#"{"containers":[{"name":"app"}]}"#))
            #expect(try one.json()["message"] == .string(#"Pod "bad" is invalid: spec.containers[0].image: Required value"#))
            let two = try await api.post(Self.pods, Self.pod(#"{"containers":[{"name":"app"}],"dnsPolicy":"x"}"#))
            #expect(try two.json()["message"] == .string(#"Pod "bad" is invalid: [spec.containers[0].image: Required value, spec.dnsPolicy: Unsupported value: "x": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]"#))
        }
    }

    @Test("A valid pod with volumes, mounts, env, probes and resources is accepted")
    func validPod() async throws {
        try await TestAPI.with { api async throws in
            let body = Self.pod(#"""
            {"containers":[{"name":"app","image":"nginx","ports":[{"containerPort":80,"name":"http"}],
              "env":[{"name":"my.var-1","value":"x"},{"name":"POD","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}],
              "volumeMounts":[{"name":"data","mountPath":"/data"},{"name":"cfg","mountPath":"/cfg"}],
              "resources":{"limits":{"cpu":"1","memory":"128Mi"},"requests":{"cpu":"500m"}},
              "readinessProbe":{"httpGet":{"port":"http"}}}],
             "volumes":[{"name":"data"},{"name":"cfg","configMap":{"name":"cm"}}],
             "tolerations":[{"key":"k","operator":"Equal","value":"v","effect":"NoSchedule"}],
             "nodeSelector":{"kubernetes.io/os":"linux"}}
            """#)
            try await api.create(Self.pods, body)
        }
    }

    @Test("Suspicious but valid pods and templates are accepted with Kubernetes' warnings")
    func warnings() async throws {
        try await TestAPI.with { api async throws in
            let body = Self.pod(#"""
            {"terminationGracePeriodSeconds":-5,
             "containers":[{"name":"a","image":"x","ports":[{"containerPort":80},{"containerPort":80,"hostPort":8080}]},
                           {"name":"b","image":"x","ports":[{"containerPort":80}]}]}
            """#)
            let response = try await api.post(Self.pods, body)
            #expect(response.status == 201, "\(response)")
            #expect(response.values("Warning") == [
                #"299 - "spec.containers[0].ports[1]: overlapping port definition with spec.containers[0].ports[0]""#,
                #"299 - "spec.containers[1].ports[0]: duplicate port definition with spec.containers[0].ports[0]""#,
                #"299 - "spec.containers[1].ports[0]: overlapping port definition with spec.containers[0].ports[1]""#,
                #"299 - "spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1""#,
            ])
            let deployment = #"""
            {"metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"app":"web"}},
             "template":{"metadata":{"labels":{"app":"web"}},"spec":{"terminationGracePeriodSeconds":-1,"containers":[{"name":"a","image":"x"}]}}}}
            """#
            let created = try await api.post("/apis/apps/v1/namespaces/default/deployments", deployment)
            #expect(created.status == 201)
            #expect(created.values("Warning") == [#"299 - "spec.template.spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1""#])
        }
    }

    struct UpdateCase: Sendable, CustomTestStringConvertible {
        var label: String
        var patch: String
        /// The causes of the refusal; empty when the update is allowed.
        var causes: [String]
        var testDescription: String { label }
    }

    static let updateCases: [UpdateCase] = [
        UpdateCase(label: "lower the deadline", patch: #"{"spec":{"activeDeadlineSeconds":50}}"#, causes: []),
        UpdateCase(label: "add a toleration", patch: #"{"spec":{"tolerations":[{"key":"k","operator":"Equal","value":"v","effect":"NoSchedule"},{"key":"x","operator":"Exists"}]}}"#, causes: []),
        UpdateCase(label: "raise the deadline", patch: #"{"spec":{"activeDeadlineSeconds":200}}"#,
                   causes: ["spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value"]),
        UpdateCase(label: "remove the deadline", patch: #"{"spec":{"activeDeadlineSeconds":null}}"#,
                   causes: [#"spec.activeDeadlineSeconds: Invalid value: "null": must not update from a positive integer to nil value"#]),
        UpdateCase(label: "change a toleration", patch: #"{"spec":{"tolerations":[{"key":"k","operator":"Equal","value":"w","effect":"NoSchedule"}]}}"#,
                   causes: ["spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"]),
        UpdateCase(label: "add a scheduling gate", patch: #"{"spec":{"schedulingGates":[{"name":"example.com/wait"}]}}"#,
                   causes: ["spec.schedulingGates[0].name: Forbidden: only deletion is allowed, but found new scheduling gate 'example.com/wait'"]),
    ]

    @Test("Pod updates: deadlines only go down, tolerations are only added, gates only removed", arguments: updateCases)
    func constrainedUpdates(_ c: UpdateCase) async throws {
        try await TestAPI.with { api async throws in
            try await api.create(Self.pods, Self.pod(container: "", spec: #""activeDeadlineSeconds":100,"tolerations":[{"key":"k","operator":"Equal","value":"v","effect":"NoSchedule"}]"#))
            let response = try await api.patch(Self.pods + "/bad", c.patch)
            if c.causes.isEmpty {
                #expect(response.status == 200, "\(response)")
            } else {
                #expect(response.status == 422, "\(response)")
                let causes = (try response.json()["details"]?["causes"]?.arrayValue ?? []).map {
                    ($0["field"]?.stringValue ?? "") + ": " + ($0["message"]?.stringValue ?? "")
                }
                #expect(causes == c.causes)
                #expect(try await api.get(Self.pods + "/bad").json()["spec"]?["activeDeadlineSeconds"] == .int(100))
            }
        }
    }

    @Test("Updates may change images but not other container fields, nor add containers")
    func updates() async throws {
        try await TestAPI.with { api async throws in
            let created = try await api.create(Self.pods, TestAPI.pod("p"))
            var pod = try #require(created.objectValue)
            var spec = try #require(pod["spec"]?.objectValue)
            var container = try #require(spec["containers"]?[0]?.objectValue)
            container["image"] = .string("nginx:1.28")
            spec["containers"] = .array([.object(container)])
            pod["spec"] = .object(spec)
            let updated = try await api.put(Self.pods + "/p", JSONValue.object(pod).serializedString())
            #expect(updated.status == 200, "\(updated)")
            let current = try #require(try updated.json().objectValue)

            var renamed = current
            var renamedSpec = try #require(renamed["spec"]?.objectValue)
            container["name"] = .string("other")
            container["image"] = .string("nginx:1.28")
            renamedSpec["containers"] = .array([.object(container)])
            renamed["spec"] = .object(renamedSpec)
            try await api.expectInvalid(Self.pods + "/p", JSONValue.object(renamed).serializedString(), method: .put,
                                        causes: ["spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"])

            var added = current
            var addedSpec = try #require(added["spec"]?.objectValue)
            let first = try #require(addedSpec["containers"]?[0])
            addedSpec["containers"] = .array([first, .object(["name": .string("two"), "image": .string("busybox")])])
            added["spec"] = .object(addedSpec)
            try await api.expectInvalid(Self.pods + "/p", JSONValue.object(added).serializedString(), method: .put,
                                        causes: ["spec.containers: Forbidden: pod updates may not add or remove containers"])
            #expect(try await api.get(Self.pods + "/p").json()["spec"]?["containers"]?[0]?["image"] == .string("nginx:1.28"))
        }
    }
}
