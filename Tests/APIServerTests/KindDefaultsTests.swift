import APIModel
import Foundation
import Testing
@testable import APIServer

/// Defaults as `kubectl get -o yaml` shows them after a create, kind by kind.
@Suite("Kind defaults")
struct KindDefaultsTests {
    static let pods = "/api/v1/namespaces/default/pods"

    @Test("Pods: default tolerations, port protocols, fieldRef apiVersion, probe timings, volume defaults")
    func pod() async throws {
        try await TestAPI.with { api async throws in
            let body = #"""
            {"metadata":{"name":"p"},"spec":{
              "containers":[{"name":"app","image":"nginx:1.27","ports":[{"containerPort":80}],
                "env":[{"name":"NODE","valueFrom":{"fieldRef":{"fieldPath":"spec.nodeName"}}}],
                "livenessProbe":{"httpGet":{"port":80}},"readinessProbe":{"tcpSocket":{"port":80},"periodSeconds":3},
                "resources":{"limits":{"cpu":"1","memory":"1024Mi"},"requests":{"cpu":"0.0001"}},
                "volumeMounts":[{"name":"a","mountPath":"/a"}]}],
              "volumes":[{"name":"a"},{"name":"b","configMap":{"name":"cm"}},{"name":"c","secret":{"secretName":"s","defaultMode":256}},
                         {"name":"d","hostPath":{"path":"/tmp"}}]}}
            """#
            let pod = try await api.create(Self.pods, body)
            let spec = try #require(pod["spec"])
            let c = try #require(spec["containers"]?[0])
            #expect(c["ports"]?[0]?["protocol"] == .string("TCP"))
            #expect(c["env"]?[0]?["valueFrom"]?["fieldRef"]?["apiVersion"] == .string("v1"))
            #expect(c["livenessProbe"] == (try JSONValue(parsing: Data(#"{"httpGet":{"port":80,"path":"/","scheme":"HTTP"},"timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3}"#.utf8))))
            #expect(c["readinessProbe"]?["periodSeconds"] == .int(3))
            #expect(c["readinessProbe"]?["timeoutSeconds"] == .int(1))
            #expect(c["imagePullPolicy"] == .string("IfNotPresent"))
            #expect(c["terminationMessagePath"] == .string("/dev/termination-log"))
            // In a pod, requests default to limits; quantities are rounded up to milli-units and printed
            // canonically.
            #expect(c["resources"]?["requests"]?["cpu"] == .string("1m"))
            #expect(c["resources"]?["requests"]?["memory"] == .string("1Gi"))
            #expect(c["resources"]?["limits"]?["memory"] == .string("1Gi"))
            #expect(pod["status"]?["qosClass"] == .string("Burstable"))
            let volumes = try #require(spec["volumes"])
            #expect(volumes[0]?["emptyDir"] == .object([:]))
            #expect(volumes[1]?["configMap"]?["defaultMode"] == .int(420))
            #expect(volumes[2]?["secret"]?["defaultMode"] == .int(256))
            #expect(volumes[3]?["hostPath"]?["type"] == .string(""))
            #expect(spec["securityContext"] == .object([:]))
            #expect(spec["restartPolicy"] == .string("Always"))
            #expect(spec["dnsPolicy"] == .string("ClusterFirst"))
            #expect(spec["schedulerName"] == .string("default-scheduler"))
            #expect(spec["terminationGracePeriodSeconds"] == .int(30))
            #expect(spec["serviceAccountName"] == .string("default"))
            let tolerations = try #require(spec["tolerations"]?.arrayValue)
            #expect(tolerations == [
                .object(["key": .string("node.kubernetes.io/not-ready"), "operator": .string("Exists"),
                         "effect": .string("NoExecute"), "tolerationSeconds": .int(300)]),
                .object(["key": .string("node.kubernetes.io/unreachable"), "operator": .string("Exists"),
                         "effect": .string("NoExecute"), "tolerationSeconds": .int(300)]),
            ])
        }
    }

    @Test("Pods on the host's network use their container ports as host ports")
    func hostNetwork() async throws {
        try await TestAPI.with { api async throws in
            let pod = try await api.create(Self.pods, #"""
            {"metadata":{"name":"hn"},"spec":{"hostNetwork":true,"containers":[{"name":"a","image":"x","ports":[{"containerPort":9100}]}]}}
            """#)
            #expect(pod["spec"]?["containers"]?[0]?["ports"]?[0]?["hostPort"] == .int(9100))
        }
    }

    struct TolerationCase: Sendable, CustomTestStringConvertible {
        var label: String
        var tolerations: String
        /// The keys of the tolerations the pod ends with, in order.
        var keys: [String]
        var testDescription: String { label }
    }

    static let tolerationCases: [TolerationCase] = [
        TolerationCase(label: "none given: both added", tolerations: "[]",
                       keys: ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]),
        TolerationCase(label: "not-ready given: only unreachable added",
                       tolerations: #"[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":60}]"#,
                       keys: ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]),
        TolerationCase(label: "tolerate everything: nothing added", tolerations: #"[{"operator":"Exists"}]"#, keys: [""]),
        TolerationCase(label: "unreachable without effect: only not-ready added",
                       tolerations: #"[{"key":"node.kubernetes.io/unreachable","operator":"Exists"}]"#,
                       keys: ["node.kubernetes.io/unreachable", "node.kubernetes.io/not-ready"]),
        TolerationCase(label: "a NoSchedule toleration does not count",
                       tolerations: #"[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoSchedule"}]"#,
                       keys: ["node.kubernetes.io/not-ready", "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]),
    ]

    @Test("DefaultTolerationSeconds adds only the tolerations a pod lacks", arguments: tolerationCases)
    func defaultTolerations(_ c: TolerationCase) async throws {
        try await TestAPI.with { api async throws in
            let body = #"{"metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"x"}],"tolerations":\#(c.tolerations)}}"#
            let pod = try await api.create(Self.pods, body)
            let keys = (pod["spec"]?["tolerations"]?.arrayValue ?? []).map { $0["key"]?.stringValue ?? "" }
            #expect(keys == c.keys)
        }
    }

    @Test("Workload templates get the pod-spec defaults but not the pod-only ones")
    func templates() async throws {
        try await TestAPI.with { api async throws in
            let d = try await api.create("/apis/apps/v1/namespaces/default/deployments", TestAPI.deployment("web"))
            let spec = try #require(d["spec"]?["template"]?["spec"])
            #expect(spec["restartPolicy"] == .string("Always"))
            #expect(spec["securityContext"] == .object([:]))
            // Admission plugins and SetDefaults_Pod fill these in pods only.
            for podOnly in ["tolerations", "enableServiceLinks", "priority", "preemptionPolicy", "serviceAccountName"] {
                #expect(spec[podOnly] == nil, "\(podOnly)")
            }
            #expect(spec["schedulerName"] == .string("default-scheduler"))
            #expect(spec["terminationGracePeriodSeconds"] == .int(30))
            #expect(spec["containers"]?[0]?["imagePullPolicy"] == .string("IfNotPresent"))
        }
    }

    @Test("ReplicaSets and ReplicationControllers: one replica; an RC's selector and labels come from its template")
    func replicaSets() async throws {
        try await TestAPI.with { api async throws in
            let template = #"{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"a","image":"x"}]}}"#
            let rs = try await api.create("/apis/apps/v1/namespaces/default/replicasets",
                                          #"{"metadata":{"name":"rs"},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":\#(template)}}"#)
            #expect(rs["spec"]?["replicas"] == .int(1))
            let rc = try await api.create("/api/v1/namespaces/default/replicationcontrollers",
                                          #"{"metadata":{"name":"rc"},"spec":{"template":\#(template)}}"#)
            #expect(rc["spec"]?["replicas"] == .int(1))
            #expect(rc["spec"]?["selector"] == .object(["app": .string("web")]))
            #expect(rc["metadata"]?["labels"] == .object(["app": .string("web")]))
            #expect(rc["spec"]?["template"]?["spec"]?["dnsPolicy"] == .string("ClusterFirst"))
        }
    }

    @Test("DaemonSets: RollingUpdate with maxUnavailable 1 and maxSurge 0, ten revisions")
    func daemonSet() async throws {
        try await TestAPI.with { api async throws in
            let ds = try await api.create("/apis/apps/v1/namespaces/default/daemonsets", #"""
            {"metadata":{"name":"ds"},"spec":{"selector":{"matchLabels":{"app":"ds"}},
             "template":{"metadata":{"labels":{"app":"ds"}},"spec":{"containers":[{"name":"a","image":"x"}]}}}}
            """#)
            let spec = try #require(ds["spec"])
            #expect(spec["updateStrategy"] == .object(["type": .string("RollingUpdate"),
                                                       "rollingUpdate": .object(["maxUnavailable": .int(1), "maxSurge": .int(0)])]))
            #expect(spec["revisionHistoryLimit"] == .int(10))
        }
    }

    @Test("StatefulSets: one replica, OrderedReady, RollingUpdate from partition 0, PVCs retained, ten revisions")
    func statefulSet() async throws {
        try await TestAPI.with { api async throws in
            let sts = try await api.create("/apis/apps/v1/namespaces/default/statefulsets", #"""
            {"metadata":{"name":"db"},"spec":{"serviceName":"db","selector":{"matchLabels":{"app":"db"}},
             "template":{"metadata":{"labels":{"app":"db"}},"spec":{"containers":[{"name":"a","image":"x"}]}},
             "volumeClaimTemplates":[{"metadata":{"name":"data"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}]}}
            """#)
            let spec = try #require(sts["spec"])
            #expect(spec["volumeClaimTemplates"]?[0]?["spec"]?["volumeMode"] == .string("Filesystem"))
            #expect(spec["volumeClaimTemplates"]?[0]?["status"]?["phase"] == .string("Pending"))
            #expect(spec["replicas"] == .int(1))
            #expect(spec["podManagementPolicy"] == .string("OrderedReady"))
            #expect(spec["updateStrategy"] == .object(["type": .string("RollingUpdate"),
                                                       "rollingUpdate": .object(["partition": .int(0)])]))
            #expect(spec["persistentVolumeClaimRetentionPolicy"] == .object(["whenDeleted": .string("Retain"),
                                                                             "whenScaled": .string("Retain")]))
            #expect(spec["revisionHistoryLimit"] == .int(10))
        }
    }

    @Test("Services: session affinity, traffic policies, IP families, target ports; LoadBalancers allocate node ports")
    func service() async throws {
        try await TestAPI.with { api async throws in
            let svc = try await api.create("/api/v1/namespaces/default/services", #"""
            {"metadata":{"name":"web"},"spec":{"selector":{"app":"web"},"ports":[{"port":80}]}}
            """#)
            let spec = try #require(svc["spec"])
            #expect(spec["type"] == .string("ClusterIP"))
            #expect(spec["sessionAffinity"] == .string("None"))
            #expect(spec["internalTrafficPolicy"] == .string("Cluster"))
            #expect(spec["ipFamilies"] == .array([.string("IPv4")]))
            #expect(spec["ipFamilyPolicy"] == .string("SingleStack"))
            #expect(spec["ports"]?[0] == .object(["port": .int(80), "protocol": .string("TCP"), "targetPort": .int(80)]))
            let lb = try await api.create("/api/v1/namespaces/default/services", #"""
            {"metadata":{"name":"lb"},"spec":{"type":"LoadBalancer","sessionAffinity":"ClientIP","ports":[{"port":443,"targetPort":"https"}]}}
            """#)
            #expect(lb["spec"]?["allocateLoadBalancerNodePorts"] == .bool(true))
            #expect(lb["spec"]?["externalTrafficPolicy"] == .string("Cluster"))
            #expect(lb["spec"]?["sessionAffinityConfig"]?["clientIP"]?["timeoutSeconds"] == .int(10800))
            #expect(lb["spec"]?["ports"]?[0]?["targetPort"] == .string("https"))
            let headless = try await api.create("/api/v1/namespaces/default/services", #"""
            {"metadata":{"name":"manual"},"spec":{"clusterIP":"None","ports":[{"port":80}]}}
            """#)
            #expect(headless["spec"]?["ipFamilyPolicy"] == .string("RequireDualStack"))
            #expect(headless["spec"]?["ipFamilies"] == .array([.string("IPv4"), .string("IPv6")]))
            let external = try await api.create("/api/v1/namespaces/default/services", #"""
            {"metadata":{"name":"ext"},"spec":{"type":"ExternalName","externalName":"example.com"}}
            """#)
            #expect(external["spec"]?["ipFamilies"] == nil)
            #expect(external["spec"]?["ipFamilyPolicy"] == nil)
            #expect(external["spec"]?["internalTrafficPolicy"] == nil)
        }
    }

    @Test("Endpoints and EndpointSlices: ports default to TCP")
    func endpoints() async throws {
        try await TestAPI.with { api async throws in
            let ep = try await api.create("/api/v1/namespaces/default/endpoints", #"""
            {"metadata":{"name":"web"},"subsets":[{"addresses":[{"ip":"10.0.0.1"}],"ports":[{"port":80}]}]}
            """#)
            #expect(ep["subsets"]?[0]?["ports"]?[0]?["protocol"] == .string("TCP"))
            let slice = try await api.create("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices", #"""
            {"metadata":{"name":"web-1"},"addressType":"IPv4","endpoints":[{"addresses":["10.0.0.1"]}],"ports":[{"port":80}]}
            """#)
            #expect(slice["ports"]?[0] == .object(["port": .int(80), "protocol": .string("TCP"), "name": .string("")]))
        }
    }

    @Test("A node registering its capacity without allocatable offers all of it")
    func nodeAllocatable() async throws {
        try await TestAPI.with { api async throws in
            let node = try await api.create("/api/v1/nodes", #"{"metadata":{"name":"n1"},"status":{"capacity":{"cpu":"4","pods":"110"}}}"#)
            #expect(node["status"]?["allocatable"] == .object(["cpu": .string("4"), "pods": .string("110")]))
        }
    }

    @Test("Namespaces and Secrets keep their defaults")
    func namespaceAndSecret() async throws {
        try await TestAPI.with { api async throws in
            let ns = try await api.create("/api/v1/namespaces", #"{"metadata":{"name":"team"}}"#)
            #expect(ns["spec"]?["finalizers"] == .array([.string("kubernetes")]))
            #expect(ns["metadata"]?["labels"]?["kubernetes.io/metadata.name"] == .string("team"))
            #expect(ns["status"]?["phase"] == .string("Active"))
            let secret = try await api.create("/api/v1/namespaces/default/secrets",
                                              #"{"metadata":{"name":"s"},"stringData":{"k":"v"}}"#)
            #expect(secret["type"] == .string("Opaque"))
            #expect(secret["data"]?["k"] == .string("dg=="))
            #expect(secret["stringData"] == nil)
        }
    }
}
