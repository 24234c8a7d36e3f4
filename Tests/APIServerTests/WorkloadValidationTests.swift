import APIModel
import Foundation
import Testing
@testable import APIServer

/// Deployment, ReplicaSet, ReplicationController, DaemonSet and StatefulSet validation through the API.
@Suite("Workload validation")
struct WorkloadValidationTests {
    static let deployments = "/apis/apps/v1/namespaces/default/deployments"
    static let replicaSets = "/apis/apps/v1/namespaces/default/replicasets"
    static let daemonSets = "/apis/apps/v1/namespaces/default/daemonsets"
    static let statefulSets = "/apis/apps/v1/namespaces/default/statefulsets"
    static let controllers = "/api/v1/namespaces/default/replicationcontrollers"

    static let template = #"{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"a","image":"x"}]}}"#
    static let selector = #""selector":{"matchLabels":{"app":"web"}}"#

    /// An apps/v1 workload named `bad` with the given spec members.
    static func workload(_ spec: String) -> String {
        #"{"metadata":{"name":"bad"},"spec":{\#(spec)}}"#
    }

    static let cases: [Rejection] = [
        Rejection(label: "deployment without selector", path: deployments, body: workload(#""template":\#(template)"#),
                  causes: ["spec.selector: Required value",
                           #"spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`"#]),
        Rejection(label: "deployment with an empty selector", path: deployments,
                  body: workload(#""selector":{},"template":\#(template)"#),
                  causes: ["spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"]),
        Rejection(label: "deployment selector not matching", path: deployments,
                  body: workload(#""selector":{"matchLabels":{"app":"api"}},"template":\#(template)"#),
                  causes: [#"spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`"#]),
        Rejection(label: "deployment with negative replicas", path: deployments,
                  body: workload(#""replicas":-1,\#(selector),"template":\#(template)"#),
                  causes: ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"]),
        Rejection(label: "deployment whose pods never restart", path: deployments,
                  body: workload(#"\#(selector),"template":{"metadata":{"labels":{"app":"web"}},"spec":{"restartPolicy":"Never","containers":[{"name":"a","image":"x"}]}}"#),
                  causes: [#"spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always""#]),
        Rejection(label: "deployment template without containers", path: deployments,
                  body: workload(#"\#(selector),"template":{"metadata":{"labels":{"app":"web"}},"spec":{}}"#),
                  causes: ["spec.template.spec.containers: Required value"]),
        Rejection(label: "Recreate with rollingUpdate", path: deployments,
                  body: workload(#"\#(selector),"template":\#(template),"strategy":{"type":"Recreate","rollingUpdate":{"maxSurge":1}}"#),
                  causes: ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"]),
        Rejection(label: "maxSurge and maxUnavailable both 0", path: deployments,
                  body: workload(#"\#(selector),"template":\#(template),"strategy":{"rollingUpdate":{"maxSurge":0,"maxUnavailable":0}}"#),
                  causes: [#"spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0"#]),
        Rejection(label: "maxUnavailable above 100%", path: deployments,
                  body: workload(#"\#(selector),"template":\#(template),"strategy":{"rollingUpdate":{"maxUnavailable":"120%"}}"#),
                  causes: [#"spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}: must not be greater than 100%"#]),
        Rejection(label: "maxSurge not a percentage", path: deployments,
                  body: workload(#"\#(selector),"template":\#(template),"strategy":{"rollingUpdate":{"maxSurge":"lots"}}"#),
                  causes: [#"spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"lots"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"#]),
        Rejection(label: "unknown strategy", path: deployments,
                  body: workload(#"\#(selector),"template":\#(template),"strategy":{"type":"BlueGreen"}"#),
                  causes: [#"spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate""#]),
        Rejection(label: "progress deadline not after minReadySeconds", path: deployments,
                  body: workload(#"\#(selector),"template":\#(template),"minReadySeconds":30,"progressDeadlineSeconds":30"#),
                  causes: ["spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds"]),
        Rejection(label: "selector expression without values", path: deployments,
                  body: workload(#""selector":{"matchExpressions":[{"key":"app","operator":"In"}]},"template":\#(template)"#),
                  causes: ["spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"]),
        Rejection(label: "deployment template with ephemeral containers", path: deployments,
                  body: workload(#"\#(selector),"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"a","image":"x"}],"ephemeralContainers":[{"name":"d","image":"busybox"}]}}"#),
                  causes: ["spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template"]),
        Rejection(label: "replica set without selector", path: replicaSets, body: workload(#""template":\#(template)"#),
                  causes: ["spec.selector: Required value",
                           #"spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`"#]),
        Rejection(label: "replica set with an active deadline", path: replicaSets,
                  body: workload(#"\#(selector),"template":{"metadata":{"labels":{"app":"web"}},"spec":{"activeDeadlineSeconds":10,"containers":[{"name":"a","image":"x"}]}}"#),
                  causes: ["spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported"]),
        Rejection(label: "replication controller without template", path: controllers, body: workload(#""replicas":1"#),
                  causes: ["spec.selector: Required value", "spec.template: Required value"]),
        Rejection(label: "replication controller selector not matching", path: controllers,
                  body: workload(#""selector":{"app":"api"},"template":\#(template)"#),
                  causes: [#"spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`"#]),
        Rejection(label: "replication controller whose pods restart on failure", path: controllers,
                  body: workload(#""template":{"metadata":{"labels":{"app":"web"}},"spec":{"restartPolicy":"OnFailure","containers":[{"name":"a","image":"x"}]}}"#),
                  causes: [#"spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always""#]),
        Rejection(label: "daemon set with an empty selector", path: daemonSets,
                  body: workload(#""selector":{"matchLabels":{}},"template":\#(template)"#),
                  causes: ["spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset"]),
        Rejection(label: "daemon set surging and leaving pods unavailable", path: daemonSets,
                  body: workload(#"\#(selector),"template":\#(template),"updateStrategy":{"rollingUpdate":{"maxSurge":1,"maxUnavailable":1}}"#),
                  causes: ["spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:\"\"}: may not be set when maxUnavailable is non-zero"]),
        Rejection(label: "daemon set neither surging nor leaving pods unavailable", path: daemonSets,
                  body: workload(#"\#(selector),"template":\#(template),"updateStrategy":{"rollingUpdate":{"maxUnavailable":0}}"#),
                  causes: ["spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"]),
        Rejection(label: "daemon set with an unknown strategy", path: daemonSets,
                  body: workload(#"\#(selector),"template":\#(template),"updateStrategy":{"type":"Never"}"#),
                  causes: [#"spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:"Never", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: "RollingUpdate", "OnDelete""#]),
        Rejection(label: "stateful set with an unknown strategy", path: statefulSets,
                  body: workload(#"\#(selector),"template":\#(template),"updateStrategy":{"type":"Blue"}"#),
                  causes: [#"spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:"Blue", RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: must be 'RollingUpdate' or 'OnDelete'"#]),
        Rejection(label: "stateful set with an unknown pod management policy", path: statefulSets,
                  body: workload(#"\#(selector),"template":\#(template),"podManagementPolicy":"AllAtOnce""#),
                  causes: [#"spec.podManagementPolicy: Invalid value: "AllAtOnce": must be 'OrderedReady' or 'Parallel'"#]),
        Rejection(label: "stateful set with a negative partition", path: statefulSets,
                  body: workload(#"\#(selector),"template":\#(template),"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":-1}}"#),
                  causes: ["spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0"]),
        Rejection(label: "stateful set with an unknown retention policy", path: statefulSets,
                  body: workload(#"\#(selector),"template":\#(template),"persistentVolumeClaimRetentionPolicy":{"whenDeleted":"Keep"}"#),
                  causes: [#"spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete""#]),
        Rejection(label: "stateful set named like a subdomain (its names must be DNS labels)", path: statefulSets,
                  body: #"{"metadata":{"name":"db.v1"},"spec":{\#(selector),"template":\#(template)}}"#,
                  causes: [#"metadata.name: Invalid value: "db.v1": must not contain dots"#]),
        Rejection(label: "stateful set without selector", path: statefulSets, body: workload(#""template":\#(template)"#),
                  causes: ["spec.selector: Required value",
                           #"spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`"#]),
        Rejection(label: "stateful set whose pods never restart", path: statefulSets,
                  body: workload(#"\#(selector),"template":{"metadata":{"labels":{"app":"web"}},"spec":{"restartPolicy":"Never","containers":[{"name":"a","image":"x"}]}}"#),
                  causes: [#"spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always""#]),
    ]

    @Test("Invalid workloads are refused with Kubernetes' causes, and not stored", arguments: cases)
    func invalidWorkload(_ rejection: Rejection) async throws {
        try await TestAPI.with { api async throws in
            try await api.expectInvalid(rejection.path, rejection.body, causes: rejection.causes)
            #expect(try await api.get(rejection.path + "/bad").status == 404)
        }
    }

    struct SelectorChange: Sendable, CustomTestStringConvertible {
        var path: String
        var body: String
        var testDescription: String { path.split(separator: "/").last.map(String.init) ?? path }
    }

    static let immutableSelectors: [SelectorChange] = [
        SelectorChange(path: deployments, body: workload(#"\#(selector),"template":\#(template)"#)),
        SelectorChange(path: replicaSets, body: workload(#"\#(selector),"template":\#(template)"#)),
        SelectorChange(path: daemonSets, body: workload(#"\#(selector),"template":\#(template)"#)),
    ]

    @Test("A selector cannot change once set", arguments: immutableSelectors)
    func immutableSelector(_ change: SelectorChange) async throws {
        try await TestAPI.with { api async throws in
            try await api.create(change.path, change.body)
            let patch = #"{"spec":{"selector":{"matchLabels":{"app":"web","tier":"front"}},"template":{"metadata":{"labels":{"app":"web","tier":"front"}}}}}"#
            let response = try await api.patch(change.path + "/bad", patch)
            #expect(response.status == 422, "\(response)")
            let causes = (try response.json()["details"]?["causes"]?.arrayValue ?? []).map { ($0["field"]?.stringValue ?? "") + ": " + ($0["message"]?.stringValue ?? "") }
            #expect(causes == [#"spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"front"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"#])
            let stored = try await api.get(change.path + "/bad").json()
            #expect(stored["spec"]?["selector"]?["matchLabels"] == .object(["app": .string("web")]))
        }
    }

    @Test("A StatefulSet update may change replicas, template and strategy but not its service name")
    func statefulSetUpdates() async throws {
        try await TestAPI.with { api async throws in
            try await api.create(Self.statefulSets, Self.workload(#""serviceName":"db",\#(Self.selector),"template":\#(Self.template)"#))
            let allowed = try await api.patch(Self.statefulSets + "/bad", #"{"spec":{"replicas":3,"minReadySeconds":5,"template":{"spec":{"containers":[{"name":"a","image":"y"}]}}}}"#)
            #expect(allowed.status == 200, "\(allowed)")
            let refused = try await api.patch(Self.statefulSets + "/bad", #"{"spec":{"serviceName":"other"}}"#)
            #expect(refused.status == 422)
            #expect(try refused.json()["message"] == .string(#"StatefulSet.apps "bad" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"#))
        }
    }

    @Test("An object stored before its kind had defaults can still be updated (stored objects are read with defaults)")
    func storedWithoutDefaults() async throws {
        try await TestAPI.with { api async throws in
            let stored = #"""
            {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"old","namespace":"default","uid":"u1","creationTimestamp":"2025-01-01T00:00:00Z","generation":1},
             "spec":{"serviceName":"old","replicas":1,"selector":{"matchLabels":{"app":"web"}},"template":\#(Self.template)}}
            """#
            try await api.store.create("/registry/apps/statefulsets/default/old", value: Data(stored.utf8))
            let scaled = try await api.patch(Self.statefulSets + "/old", #"{"spec":{"replicas":2}}"#)
            #expect(scaled.status == 200, "\(scaled)")
            #expect(try scaled.json()["spec"]?["podManagementPolicy"] == .string("OrderedReady"))
        }
    }

    @Test("A ReplicationController's selector may change")
    func replicationControllerSelector() async throws {
        try await TestAPI.with { api async throws in
            try await api.create(Self.controllers, Self.workload(#""template":\#(Self.template)"#))
            let patch = #"{"spec":{"selector":{"app":"web","v":"2"},"template":{"metadata":{"labels":{"app":"web","v":"2"}}}}}"#
            #expect(try await api.patch(Self.controllers + "/bad", patch).status == 200)
        }
    }
}
