import Foundation
import Testing
@testable import APIServer
import APIModel

// Expected cells are what Kubernetes 1.32's printers (pkg/printers/internalversion) produce for the same
// objects; the server always renders the wide form, so every row has a cell for every column.

/// 2025-01-15T12:00:00Z, the time every row is printed at.
private let now = Time(secondsSinceEpoch: 1_736_942_400)

/// The cells a printer makes of an object written as JSON.
private func cells<T>(_ printer: TablePrinter<T>, _ json: String) throws -> [JSONValue] {
    printer.cells(try JSONDecoder().decode(T.self, from: Data(json.utf8)), now)
}

/// The cells of a pod with the given `status` (and optionally `spec` and `metadata` members).
private func podCells(metadata: String = "", spec: String = #"{"containers": [{"name": "app", "image": "nginx"}]}"#,
                      status: String) throws -> [JSONValue] {
    try cells(Printers.pod, """
        {"metadata": {"name": "web", "creationTimestamp": "2025-01-15T10:00:00Z"\(metadata)},
         "spec": \(spec), "status": \(status)}
        """)
}

/// The `READY`, `STATUS` and `RESTARTS` cells of a pod.
private func podState(metadata: String = "", spec: String = #"{"containers": [{"name": "app", "image": "nginx"}]}"#,
                      status: String) throws -> [JSONValue] {
    Array(try podCells(metadata: metadata, spec: spec, status: status)[1...3])
}

@Suite struct TablePrinterSetupTests {
    @Test func fixedTimeIsMidJanuary2025() {
        #expect(now.description == "2025-01-15T12:00:00Z")
    }

    @Test func everyRowHasACellPerColumn() throws {
        let printer = Printers.pod
        #expect(try podCells(status: #"{"phase": "Pending"}"#).count == printer.columns.count)
        #expect(Printers.namespace.cells(Namespace(), now).count == Printers.namespace.columns.count)
        #expect(Printers.node.cells(Node(), now).count == Printers.node.columns.count)
        #expect(Printers.service.cells(Service(), now).count == Printers.service.columns.count)
        #expect(Printers.endpoints.cells(Endpoints(), now).count == Printers.endpoints.columns.count)
        #expect(Printers.event.cells(Event(), now).count == Printers.event.columns.count)
        #expect(Printers.configMap.cells(ConfigMap(), now).count == Printers.configMap.columns.count)
        #expect(Printers.secret.cells(Secret(), now).count == Printers.secret.columns.count)
        #expect(Printers.serviceAccount.cells(ServiceAccount(), now).count == Printers.serviceAccount.columns.count)
        #expect(Printers.replicationController.cells(ReplicationController(), now).count
            == Printers.replicationController.columns.count)
        #expect(Printers.deployment.cells(Deployment(), now).count == Printers.deployment.columns.count)
        #expect(Printers.replicaSet.cells(ReplicaSet(), now).count == Printers.replicaSet.columns.count)
        #expect(Printers.daemonSet.cells(DaemonSet(), now).count == Printers.daemonSet.columns.count)
        #expect(Printers.statefulSet.cells(StatefulSet(), now).count == Printers.statefulSet.columns.count)
        #expect(Printers.controllerRevision.cells(ControllerRevision(), now).count
            == Printers.controllerRevision.columns.count)
        #expect(Printers.lease.cells(Lease(), now).count == Printers.lease.columns.count)
        #expect(Printers.endpointSlice.cells(EndpointSlice(), now).count == Printers.endpointSlice.columns.count)
    }

    @Test func nameAndAgeCarryTheObjectMetaDocumentation() {
        let columns = Printers.configMap.columns
        #expect(columns.first == TableColumn("Name", type: "string", format: "name", description: FieldDocs.objectMetaName))
        #expect(columns.last?.name == "Age")
        #expect(columns.last?.description == FieldDocs.objectMetaCreationTimestamp)
        #expect(!FieldDocs.objectMetaName.isEmpty && !FieldDocs.objectMetaCreationTimestamp.isEmpty)
    }
}

@Suite struct PodPrinterTests {
    @Test func columns() {
        let columns = Printers.pod.columns
        #expect(columns.map(\.name) == ["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node",
                                        "Readiness Gates"])
        #expect(columns.map(\.priority) == [0, 0, 0, 0, 0, 1, 1, 1, 1])
        #expect(columns.allSatisfy { $0.type == "string" })
        #expect(columns[0].format == "name")
        #expect(columns[3].description == """
            The number of times the containers in this pod have been restarted and when the last container in \
            this pod has restarted.
            """)
        #expect(columns[5].description == FieldDocs.podStatusPodIP)
    }

    @Test func runningPodWithARestart() throws {
        let row = try podCells(
            spec: #"""
                {"nodeName": "worker-1",
                 "containers": [{"name": "app", "image": "nginx"}, {"name": "metrics", "image": "exporter"}]}
                """#,
            status: #"""
                {"phase": "Running", "podIP": "10.244.1.7", "podIPs": [{"ip": "10.244.1.7"}, {"ip": "fd00::7"}],
                 "conditions": [{"type": "Ready", "status": "True"}],
                 "containerStatuses": [
                   {"name": "app", "ready": true, "restartCount": 0, "state": {"running": {"startedAt": "2025-01-15T10:00:05Z"}}},
                   {"name": "metrics", "ready": true, "restartCount": 2,
                    "state": {"running": {"startedAt": "2025-01-15T11:55:01Z"}},
                    "lastState": {"terminated": {"exitCode": 2, "reason": "Error", "finishedAt": "2025-01-15T11:55:00Z"}}}]}
                """#)
        #expect(row == [.string("web"), .string("2/2"), .string("Running"), .string("2 (5m ago)"), .string("120m"),
                        .string("10.244.1.7"), .string("worker-1"), .string("<none>"), .string("<none>")])
    }

    @Test func crashLoopBackOff() throws {
        let row = try podCells(
            spec: #"{"nodeName": "worker-2", "containers": [{"name": "app", "image": "broken:1.0"}]}"#,
            status: #"""
                {"phase": "Running", "podIPs": [{"ip": "10.244.2.9"}],
                 "conditions": [{"type": "Ready", "status": "False", "reason": "ContainersNotReady"}],
                 "containerStatuses": [{"name": "app", "ready": false, "restartCount": 5,
                   "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 2m40s restarting failed container"}},
                   "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": "2025-01-15T11:58:30Z"}}}]}
                """#)
        #expect(row == [.string("web"), .string("0/1"), .string("CrashLoopBackOff"), .string("5 (90s ago)"),
                        .string("120m"), .string("10.244.2.9"), .string("worker-2"), .string("<none>"),
                        .string("<none>")])
    }

    @Test func terminatingPod() throws {
        let state = try podState(
            metadata: #", "deletionTimestamp": "2025-01-15T11:59:30Z", "deletionGracePeriodSeconds": 30"#,
            status: #"""
                {"phase": "Running", "containerStatuses": [{"name": "app", "ready": true, "restartCount": 0,
                  "state": {"running": {"startedAt": "2025-01-15T10:00:05Z"}}}]}
                """#)
        #expect(state == [.string("1/1"), .string("Terminating"), .string("0")])
    }

    @Test func completedPod() throws {
        let state = try podState(status: #"""
            {"phase": "Succeeded", "containerStatuses": [{"name": "app", "ready": false, "restartCount": 0,
              "state": {"terminated": {"exitCode": 0, "reason": "Completed", "finishedAt": "2025-01-15T10:01:00Z"}}}]}
            """#)
        #expect(state == [.string("0/1"), .string("Completed"), .string("0")])
    }

    @Test func finishedPodBeingDeletedKeepsItsStatus() throws {
        let state = try podState(
            metadata: #", "deletionTimestamp": "2025-01-15T11:59:30Z", "finalizers": ["example.com/keep"]"#,
            status: #"""
                {"phase": "Failed", "containerStatuses": [{"name": "app", "ready": false, "restartCount": 0,
                  "state": {"terminated": {"exitCode": 1, "reason": "Error"}}}]}
                """#)
        #expect(state == [.string("0/1"), .string("Error"), .string("0")])
    }

    @Test func podOfALostNode() throws {
        let running = #"""
            {"phase": "Running", "reason": "NodeLost", "containerStatuses": [{"name": "app", "ready": true,
              "restartCount": 0, "state": {"running": {}}}]}
            """#
        #expect(try podState(status: running)[1] == .string("NodeLost"))
        #expect(try podState(metadata: #", "deletionTimestamp": "2025-01-15T11:00:00Z""#, status: running)[1]
            == .string("Unknown"))
    }

    @Test func pendingPods() throws {
        #expect(try podState(status: #"{"phase": "Pending"}"#) == [.string("0/1"), .string("Pending"), .string("0")])
        #expect(try podState(status: #"""
            {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]}
            """#)[1] == .string("SchedulingGated"))
        #expect(try podState(status: #"""
            {"phase": "Pending", "containerStatuses": [{"name": "app", "ready": false, "restartCount": 0,
              "state": {"waiting": {"reason": "ContainerCreating"}}}]}
            """#)[1] == .string("ContainerCreating"))
        #expect(try podState(status: #"{"phase": "Failed", "reason": "Evicted"}"#)[1] == .string("Evicted"))
    }

    @Test func terminationsWithoutReason() throws {
        #expect(try podState(status: #"""
            {"phase": "Running", "containerStatuses": [{"name": "app", "restartCount": 0,
              "state": {"terminated": {"exitCode": 137}}}]}
            """#)[1] == .string("ExitCode:137"))
        #expect(try podState(status: #"""
            {"phase": "Running", "containerStatuses": [{"name": "app", "restartCount": 0,
              "state": {"terminated": {"exitCode": 0, "signal": 9}}}]}
            """#)[1] == .string("Signal:9"))
    }

    @Test func theFirstContainerWithAReasonDecides() throws {
        let spec = #"{"containers": [{"name": "a"}, {"name": "b"}, {"name": "c"}]}"#
        let state = try podState(spec: spec, status: #"""
            {"phase": "Running", "containerStatuses": [
              {"name": "a", "ready": true, "restartCount": 1, "state": {"running": {}}},
              {"name": "b", "ready": false, "restartCount": 3, "state": {"waiting": {"reason": "ImagePullBackOff"}}},
              {"name": "c", "ready": false, "restartCount": 0, "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]}
            """#)
        // No finish time of a previous run is known, so no "ago".
        #expect(state == [.string("1/3"), .string("ImagePullBackOff"), .string("4")])
    }

    @Test func completedContainerBesideARunningOne() throws {
        let spec = #"{"containers": [{"name": "job"}, {"name": "server"}]}"#
        let status = { (ready: String) in
            #"""
            {"phase": "Running", "conditions": [{"type": "Ready", "status": "\#(ready)"}], "containerStatuses": [
              {"name": "job", "ready": false, "restartCount": 0, "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
              {"name": "server", "ready": true, "restartCount": 0, "state": {"running": {}}}]}
            """#
        }
        #expect(try podState(spec: spec, status: status("True"))[0...1] == [.string("1/2"), .string("Running")])
        #expect(try podState(spec: spec, status: status("False"))[0...1] == [.string("1/2"), .string("NotReady")])
    }

    @Test func initContainers() throws {
        let spec = #"{"initContainers": [{"name": "migrate"}, {"name": "seed"}], "containers": [{"name": "app"}]}"#
        let appWaiting = #"""
            "containerStatuses": [{"name": "app", "ready": false, "restartCount": 0,
                                   "state": {"waiting": {"reason": "PodInitializing"}}}]
            """#
        #expect(try podState(spec: spec, status: #"""
            {"phase": "Pending", "initContainerStatuses": [
              {"name": "migrate", "ready": false, "restartCount": 0, "state": {"running": {}}},
              {"name": "seed", "ready": false, "restartCount": 0, "state": {"waiting": {"reason": "PodInitializing"}}}],
             \#(appWaiting)}
            """#) == [.string("0/1"), .string("Init:0/2"), .string("0")])
        #expect(try podState(spec: spec, status: #"""
            {"phase": "Pending", "initContainerStatuses": [
              {"name": "migrate", "ready": false, "restartCount": 0,
               "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
              {"name": "seed", "ready": false, "restartCount": 0, "state": {"running": {}}}],
             \#(appWaiting)}
            """#) == [.string("0/1"), .string("Init:1/2"), .string("0")])
        #expect(try podState(spec: spec, status: #"""
            {"phase": "Pending", "initContainerStatuses": [
              {"name": "migrate", "ready": false, "restartCount": 4, "state": {"waiting": {"reason": "CrashLoopBackOff"}},
               "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": "2025-01-15T11:59:00Z"}}},
              {"name": "seed", "ready": false, "restartCount": 0, "state": {"waiting": {"reason": "PodInitializing"}}}],
             \#(appWaiting)}
            """#) == [.string("0/1"), .string("Init:CrashLoopBackOff"), .string("4 (60s ago)")])
        #expect(try podState(spec: spec, status: #"""
            {"phase": "Failed", "initContainerStatuses": [
              {"name": "migrate", "ready": false, "restartCount": 0, "state": {"terminated": {"exitCode": 1, "reason": "Error"}}},
              {"name": "seed", "ready": false, "restartCount": 0, "state": {"waiting": {"reason": "PodInitializing"}}}],
             \#(appWaiting)}
            """#)[1] == .string("Init:Error"))
        #expect(try podState(spec: spec, status: #"""
            {"phase": "Pending", "initContainerStatuses": [
              {"name": "migrate", "ready": false, "restartCount": 0, "state": {"terminated": {"exitCode": 3}}}]}
            """#)[1] == .string("Init:ExitCode:3"))
    }

    @Test func sidecarsCountAsContainers() throws {
        let spec = #"""
            {"initContainers": [{"name": "proxy", "restartPolicy": "Always"}, {"name": "migrate"}],
             "containers": [{"name": "app"}]}
            """#
        let state = try podState(spec: spec, status: #"""
            {"phase": "Running",
             "conditions": [{"type": "Initialized", "status": "True"}, {"type": "Ready", "status": "True"}],
             "initContainerStatuses": [
               {"name": "proxy", "ready": true, "started": true, "restartCount": 1, "state": {"running": {}},
                "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": "2025-01-15T11:00:00Z"}}},
               {"name": "migrate", "ready": false, "restartCount": 2,
                "state": {"terminated": {"exitCode": 0, "reason": "Completed"}},
                "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": "2025-01-15T11:30:00Z"}}}],
             "containerStatuses": [{"name": "app", "ready": true, "restartCount": 0, "state": {"running": {}}}]}
            """#)
        // Once initialised, only the sidecar's restarts count; the finished init container's do not.
        #expect(state == [.string("2/2"), .string("Running"), .string("1 (60m ago)")])
    }

    @Test func readinessGates() throws {
        let row = try podCells(
            spec: #"""
                {"containers": [{"name": "app"}],
                 "readinessGates": [{"conditionType": "example.com/lb-ready"}, {"conditionType": "example.com/dns"}]}
                """#,
            status: #"""
                {"phase": "Running", "nominatedNodeName": "worker-3",
                 "conditions": [{"type": "example.com/lb-ready", "status": "True"},
                                {"type": "example.com/dns", "status": "False"}]}
                """#)
        #expect(Array(row[5...]) == [.string("<none>"), .string("<none>"), .string("worker-3"), .string("1/2")])
    }
}

@Suite struct WorkloadPrinterTests {
    @Test func deployment() throws {
        let printer = Printers.deployment
        #expect(printer.columns.map(\.name)
            == ["Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"])
        #expect(printer.columns.map(\.priority) == [0, 0, 0, 0, 0, 1, 1, 1])
        #expect(printer.columns.allSatisfy { $0.type == "string" })
        let row = try cells(printer, #"""
            {"metadata": {"name": "web", "namespace": "default", "creationTimestamp": "2025-01-12T12:00:00Z"},
             "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web", "tier": "frontend"}},
                      "template": {"metadata": {"labels": {"app": "web", "tier": "frontend"}},
                                   "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"},
                                                           {"name": "sidecar", "image": "envoy:v1.32"}]}}},
             "status": {"replicas": 3, "updatedReplicas": 3, "readyReplicas": 2, "availableReplicas": 2}}
            """#)
        #expect(row == [.string("web"), .string("2/3"), .int(3), .int(2), .string("3d"), .string("nginx,sidecar"),
                        .string("nginx:1.27,envoy:v1.32"), .string("app=web,tier=frontend")])
    }

    @Test func newDeploymentWithoutStatus() throws {
        let row = try cells(Printers.deployment, #"""
            {"metadata": {"name": "api"}, "spec": {"selector": {}, "template": {"spec": {"containers": []}}}}
            """#)
        #expect(row == [.string("api"), .string("0/1"), .int(0), .int(0), .string("<unknown>"), .string(""),
                        .string(""), .string("")])
    }

    @Test func replicaSet() throws {
        let printer = Printers.replicaSet
        #expect(printer.columns.map(\.name)
            == ["Name", "Desired", "Current", "Ready", "Age", "Containers", "Images", "Selector"])
        #expect(printer.columns.map(\.type)
            == ["string", "integer", "integer", "integer", "string", "string", "string", "string"])
        let row = try cells(printer, #"""
            {"metadata": {"name": "web-7d4b9c8f6", "creationTimestamp": "2025-01-15T11:57:00Z"},
             "spec": {"replicas": 3,
                      "selector": {"matchLabels": {"app": "web", "pod-template-hash": "7d4b9c8f6"},
                                   "matchExpressions": [{"key": "tier", "operator": "In", "values": ["web", "cache"]}]},
                      "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}},
             "status": {"replicas": 3, "readyReplicas": 1}}
            """#)
        #expect(row == [.string("web-7d4b9c8f6"), .int(3), .int(3), .int(1), .string("3m"), .string("nginx"),
                        .string("nginx:1.27"), .string("app=web,pod-template-hash=7d4b9c8f6,tier in (cache,web)")])
        let unselective = try cells(printer, #"{"metadata": {"name": "rs"}, "spec": {"replicas": 0}}"#)
        #expect(unselective[1] == .int(0))
        #expect(unselective.last == .string("<none>"))
    }

    @Test func replicationController() throws {
        let row = try cells(Printers.replicationController, #"""
            {"metadata": {"name": "legacy", "creationTimestamp": "2025-01-15T11:00:00Z"},
             "spec": {"replicas": 2, "selector": {"app": "legacy", "env": "prod"},
                      "template": {"spec": {"containers": [{"name": "app", "image": "legacy:2"}]}}},
             "status": {"replicas": 2, "readyReplicas": 2}}
            """#)
        #expect(row == [.string("legacy"), .int(2), .int(2), .int(2), .string("60m"), .string("app"),
                        .string("legacy:2"), .string("app=legacy,env=prod")])
    }

    @Test func daemonSet() throws {
        let printer = Printers.daemonSet
        #expect(printer.columns.map(\.name) == ["Name", "Desired", "Current", "Ready", "Up-to-date", "Available",
                                                "Node Selector", "Age", "Containers", "Images", "Selector"])
        let row = try cells(printer, #"""
            {"metadata": {"name": "fluentd", "creationTimestamp": "2024-12-01T12:00:00Z"},
             "spec": {"selector": {"matchLabels": {"name": "fluentd"}},
                      "template": {"spec": {"nodeSelector": {"kubernetes.io/os": "linux"},
                                            "containers": [{"name": "fluentd", "image": "fluentd:v1.16"}]}}},
             "status": {"desiredNumberScheduled": 3, "currentNumberScheduled": 3, "numberReady": 2,
                        "updatedNumberScheduled": 3, "numberAvailable": 2, "numberMisscheduled": 0}}
            """#)
        #expect(row == [.string("fluentd"), .int(3), .int(3), .int(2), .int(3), .int(2),
                        .string("kubernetes.io/os=linux"), .string("45d"), .string("fluentd"),
                        .string("fluentd:v1.16"), .string("name=fluentd")])
    }

    @Test func statefulSet() throws {
        let printer = Printers.statefulSet
        #expect(printer.columns.map(\.name) == ["Name", "Ready", "Age", "Containers", "Images"])
        let row = try cells(printer, #"""
            {"metadata": {"name": "db", "creationTimestamp": "2025-01-15T11:59:10Z"},
             "spec": {"replicas": 3, "serviceName": "db",
                      "template": {"spec": {"containers": [{"name": "postgres", "image": "postgres:17"}]}}},
             "status": {"replicas": 2, "readyReplicas": 1}}
            """#)
        #expect(row == [.string("db"), .string("1/3"), .string("50s"), .string("postgres"), .string("postgres:17")])
    }

    @Test func controllerRevision() throws {
        let printer = Printers.controllerRevision
        #expect(printer.columns.map(\.name) == ["Name", "Controller", "Revision", "Age"])
        #expect(printer.columns[2].type == "string")
        let row = try cells(printer, #"""
            {"metadata": {"name": "fluentd-6b9f7c5d8", "creationTimestamp": "2025-01-15T08:30:00Z",
                          "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "fluentd",
                                               "uid": "1d3c", "controller": true, "blockOwnerDeletion": true}]},
             "revision": 4}
            """#)
        #expect(row == [.string("fluentd-6b9f7c5d8"), .string("daemonset.apps/fluentd"), .int(4), .string("3h30m")])
        let orphan = try cells(printer, #"""
            {"metadata": {"name": "orphan", "ownerReferences": [{"apiVersion": "v1", "kind": "Pod", "name": "p"}]},
             "revision": 1}
            """#)
        #expect(orphan[1] == .string("<none>"))
        let core = try cells(printer, #"""
            {"metadata": {"name": "r", "ownerReferences": [{"apiVersion": "v1", "kind": "ReplicationController",
                                                            "name": "legacy", "controller": true}]}}
            """#)
        #expect(core[1...2] == [.string("replicationcontroller/legacy"), .int(0)])
    }
}

@Suite struct NetworkingPrinterTests {
    @Test func serviceColumns() {
        let columns = Printers.service.columns
        #expect(columns.map(\.name) == ["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"])
        #expect(columns.map(\.priority) == [0, 0, 0, 0, 0, 0, 1])
    }

    @Test func nodePortService() throws {
        let row = try cells(Printers.service, #"""
            {"metadata": {"name": "web", "creationTimestamp": "2025-01-15T11:00:00Z"},
             "spec": {"type": "NodePort", "clusterIP": "10.96.12.34", "clusterIPs": ["10.96.12.34"],
                      "selector": {"app": "web"},
                      "ports": [{"name": "http", "protocol": "TCP", "port": 80, "targetPort": 8080, "nodePort": 30080},
                                {"name": "https", "protocol": "TCP", "port": 443, "targetPort": "https", "nodePort": 30443}]}}
            """#)
        #expect(row == [.string("web"), .string("NodePort"), .string("10.96.12.34"), .string("<none>"),
                        .string("80:30080/TCP,443:30443/TCP"), .string("60m"), .string("app=web")])
    }

    @Test func clusterIPServices() throws {
        let kubernetes = try cells(Printers.service, #"""
            {"metadata": {"name": "kubernetes"},
             "spec": {"type": "ClusterIP", "clusterIPs": ["10.96.0.1"],
                      "ports": [{"name": "https", "protocol": "TCP", "port": 443}]}}
            """#)
        #expect(kubernetes[1...4] == [.string("ClusterIP"), .string("10.96.0.1"), .string("<none>"), .string("443/TCP")])
        #expect(kubernetes[6] == .string("<none>"))
        let headless = try cells(Printers.service, #"""
            {"metadata": {"name": "db"},
             "spec": {"type": "ClusterIP", "clusterIP": "None", "clusterIPs": ["None"], "externalIPs": ["192.0.2.1", "192.0.2.2"],
                      "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "SCTP", "port": 9000}]}}
            """#)
        #expect(headless[2...4] == [.string("None"), .string("192.0.2.1,192.0.2.2"), .string("53/UDP,9000/SCTP")])
        let bare = try cells(Printers.service, #"{"metadata": {"name": "bare"}, "spec": {"type": "ClusterIP"}}"#)
        #expect(bare[2...4] == [.string("<none>"), .string("<none>"), .string("<none>")])
    }

    @Test func loadBalancerAndExternalNameServices() throws {
        let service = { (status: String, externalIPs: String) in
            #"""
            {"metadata": {"name": "lb"},
             "spec": {"type": "LoadBalancer", "clusterIPs": ["10.96.5.5"], "externalIPs": \#(externalIPs),
                      "ports": [{"protocol": "TCP", "port": 80, "nodePort": 31000}]},
             "status": \#(status)}
            """#
        }
        #expect(try cells(Printers.service, service("{}", "[]"))[3] == .string("<pending>"))
        let ingress = #"""
            {"loadBalancer": {"ingress": [{"ip": "203.0.113.9"}, {"hostname": "lb.example.com"},
                                          {"ip": "203.0.113.2"}, {"ip": "203.0.113.9"}]}}
            """#
        #expect(try cells(Printers.service, service(ingress, "[]"))[3]
            == .string("203.0.113.2,203.0.113.9,lb.example.com"))
        #expect(try cells(Printers.service, service(ingress, #"["198.51.100.1"]"#))[3]
            == .string("203.0.113.2,203.0.113.9,lb.example.com,198.51.100.1"))
        let external = try cells(Printers.service, #"""
            {"metadata": {"name": "search"}, "spec": {"type": "ExternalName", "externalName": "search.example.com"}}
            """#)
        #expect(external[1...4] == [.string("ExternalName"), .string("<none>"), .string("search.example.com"),
                                    .string("<none>")])
    }

    @Test func endpoints() throws {
        #expect(Printers.endpoints.columns.map(\.name) == ["Name", "Endpoints", "Age"])
        let two = try cells(Printers.endpoints, #"""
            {"metadata": {"name": "web", "creationTimestamp": "2025-01-15T11:00:00Z"},
             "subsets": [{"addresses": [{"ip": "10.244.1.7"}, {"ip": "10.244.2.9"}],
                          "notReadyAddresses": [{"ip": "10.244.3.3"}],
                          "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]}]}
            """#)
        #expect(two == [.string("web"), .string("10.244.1.7:8080,10.244.2.9:8080"), .string("60m")])
        let many = try cells(Printers.endpoints, #"""
            {"metadata": {"name": "web"},
             "subsets": [{"addresses": [{"ip": "10.0.0.1"}, {"ip": "10.0.0.2"}],
                          "ports": [{"name": "http", "port": 80}, {"name": "https", "port": 443}]},
                         {"addresses": [{"ip": "fd00::5"}], "ports": [{"port": 9090}]}]}
            """#)
        #expect(many[1] == .string("10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more..."))
        let ipv6 = try cells(Printers.endpoints, #"""
            {"metadata": {"name": "v6"}, "subsets": [{"addresses": [{"ip": "fd00::5"}], "ports": [{"port": 9090}]}]}
            """#)
        #expect(ipv6[1] == .string("[fd00::5]:9090"))
        let headless = try cells(Printers.endpoints, #"""
            {"metadata": {"name": "h"}, "subsets": [{"addresses": [{"ip": "10.0.0.1"}, {"ip": "10.0.0.2"}]}]}
            """#)
        #expect(headless[1] == .string("10.0.0.1,10.0.0.2"))
        #expect(try cells(Printers.endpoints, #"{"metadata": {"name": "none"}}"#)[1] == .string("<none>"))
        #expect(try cells(Printers.endpoints, #"{"metadata": {"name": "e"}, "subsets": [{}]}"#)[1] == .string(""))
    }

    @Test func endpointSlices() throws {
        let printer = Printers.endpointSlice
        #expect(printer.columns.map(\.name) == ["Name", "AddressType", "Ports", "Endpoints", "Age"])
        let row = try cells(printer, #"""
            {"metadata": {"name": "web-abc12", "creationTimestamp": "2025-01-15T11:00:00Z"},
             "addressType": "IPv4",
             "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}, {"name": "metrics", "protocol": "TCP"}, {}],
             "endpoints": [{"addresses": ["10.244.1.7"], "conditions": {"ready": true}},
                           {"addresses": ["10.244.2.9", "10.244.2.10"]},
                           {"addresses": ["10.244.3.3"], "conditions": {"ready": false}}]}
            """#)
        #expect(row == [.string("web-abc12"), .string("IPv4"), .string("8080,metrics,*"),
                        .string("10.244.1.7,10.244.2.9,10.244.2.10 + 1 more..."), .string("60m")])
        let empty = try cells(printer, #"{"metadata": {"name": "empty"}, "addressType": "IPv6", "endpoints": []}"#)
        #expect(empty[2...3] == [.string("<unset>"), .string("<unset>")])
    }
}

@Suite struct ClusterPrinterTests {
    @Test func nodeColumns() {
        let columns = Printers.node.columns
        #expect(columns.map(\.name) == ["Name", "Status", "Roles", "Age", "Version", "Internal-IP", "External-IP",
                                        "OS-Image", "Kernel-Version", "Container-Runtime"])
        #expect(columns.map(\.priority) == [0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
        #expect(columns[4].description == FieldDocs.nodeSystemInfoKubeletVersion)
    }

    @Test func readyControlPlaneNode() throws {
        let row = try cells(Printers.node, #"""
            {"metadata": {"name": "cp-1", "creationTimestamp": "2024-11-16T12:00:00Z",
                          "labels": {"kubernetes.io/hostname": "cp-1", "node-role.kubernetes.io/control-plane": "",
                                     "node.kubernetes.io/exclude-from-external-load-balancers": ""}},
             "status": {"conditions": [{"type": "MemoryPressure", "status": "False"},
                                       {"type": "Ready", "status": "True", "reason": "KubeletReady"}],
                        "addresses": [{"type": "InternalIP", "address": "192.168.1.10"},
                                      {"type": "Hostname", "address": "cp-1"}],
                        "nodeInfo": {"kubeletVersion": "v1.32.1", "osImage": "Ubuntu 24.04.1 LTS",
                                     "kernelVersion": "6.8.0-51-generic", "containerRuntimeVersion": "containerd://1.7.24"}}}
            """#)
        #expect(row == [.string("cp-1"), .string("Ready"), .string("control-plane"), .string("60d"),
                        .string("v1.32.1"), .string("192.168.1.10"), .string("<none>"),
                        .string("Ubuntu 24.04.1 LTS"), .string("6.8.0-51-generic"), .string("containerd://1.7.24")])
    }

    @Test func cordonedNodes() throws {
        let cordoned = try cells(Printers.node, #"""
            {"metadata": {"name": "worker-1", "labels": {"node-role.kubernetes.io/worker": "", "kubernetes.io/role": "gpu",
                                                          "node-role.kubernetes.io/": "x"}},
             "spec": {"unschedulable": true,
                      "taints": [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]},
             "status": {"conditions": [{"type": "Ready", "status": "True"}],
                        "addresses": [{"type": "ExternalIP", "address": "203.0.113.4"},
                                      {"type": "InternalIP", "address": "10.0.0.4"}]}}
            """#)
        #expect(cordoned[1...2] == [.string("Ready,SchedulingDisabled"), .string("gpu,worker")])
        #expect(cordoned[4...] == [.string(""), .string("10.0.0.4"), .string("203.0.113.4"), .string("<unknown>"),
                                   .string("<unknown>"), .string("<unknown>")])
        let notReady = try cells(Printers.node, #"""
            {"metadata": {"name": "worker-2"}, "spec": {"unschedulable": true},
             "status": {"conditions": [{"type": "Ready", "status": "Unknown", "reason": "NodeStatusUnknown"}]}}
            """#)
        #expect(notReady[1...2] == [.string("NotReady,SchedulingDisabled"), .string("<none>")])
        #expect(try cells(Printers.node, #"{"metadata": {"name": "new"}}"#)[1] == .string("Unknown"))
    }

    @Test func namespace() throws {
        #expect(Printers.namespace.columns.map(\.name) == ["Name", "Status", "Age"])
        let row = try cells(Printers.namespace, #"""
            {"metadata": {"name": "kube-system", "creationTimestamp": "2023-01-16T12:00:00Z"},
             "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}
            """#)
        #expect(row == [.string("kube-system"), .string("Active"), .string("2y")])
        let terminating = try cells(Printers.namespace, #"{"metadata": {"name": "old"}, "status": {"phase": "Terminating"}}"#)
        #expect(terminating[1] == .string("Terminating"))
    }

    @Test func lease() throws {
        #expect(Printers.lease.columns.map(\.name) == ["Name", "Holder", "Age"])
        let row = try cells(Printers.lease, #"""
            {"metadata": {"name": "kube-scheduler", "namespace": "kube-system", "creationTimestamp": "2025-01-15T11:59:00Z"},
             "spec": {"holderIdentity": "cp-1_6f1e2a3b", "leaseDurationSeconds": 15,
                      "renewTime": "2025-01-15T11:59:58.123456Z"}}
            """#)
        #expect(row == [.string("kube-scheduler"), .string("cp-1_6f1e2a3b"), .string("60s")])
        #expect(try cells(Printers.lease, #"{"metadata": {"name": "free"}, "spec": {}}"#)[1] == .string(""))
    }
}

@Suite struct ConfigPrinterTests {
    @Test func configMap() throws {
        let printer = Printers.configMap
        #expect(printer.columns.map(\.name) == ["Name", "Data", "Age"])
        #expect(printer.columns[1].type == "string")
        let row = try cells(printer, #"""
            {"metadata": {"name": "settings", "creationTimestamp": "2025-01-15T11:58:00Z"},
             "data": {"app.properties": "a=1", "log.level": "debug"}, "binaryData": {"logo.png": "iVBORw0KGgo="}}
            """#)
        #expect(row == [.string("settings"), .int(3), .string("2m")])
    }

    @Test func secret() throws {
        #expect(Printers.secret.columns.map(\.name) == ["Name", "Type", "Data", "Age"])
        let row = try cells(Printers.secret, #"""
            {"metadata": {"name": "registry", "creationTimestamp": "2025-01-14T12:00:00Z"},
             "type": "kubernetes.io/dockerconfigjson", "data": {".dockerconfigjson": "e30="}}
            """#)
        #expect(row == [.string("registry"), .string("kubernetes.io/dockerconfigjson"), .int(1), .string("24h")])
        let opaque = try cells(Printers.secret, #"{"metadata": {"name": "empty"}, "type": "Opaque"}"#)
        #expect(opaque[1...2] == [.string("Opaque"), .int(0)])
        let written = try cells(Printers.secret, #"""
            {"metadata": {"name": "db"}, "type": "Opaque", "data": {"user": "YWRtaW4="},
             "stringData": {"user": "root", "password": "s3cret"}}
            """#)
        #expect(written[2] == .int(2))
    }

    @Test func serviceAccount() throws {
        #expect(Printers.serviceAccount.columns.map(\.name) == ["Name", "Secrets", "Age"])
        let row = try cells(Printers.serviceAccount, #"""
            {"metadata": {"name": "default", "creationTimestamp": "2025-01-08T12:00:00Z"},
             "secrets": [{"name": "default-token-x7k2p"}]}
            """#)
        #expect(row == [.string("default"), .int(1), .string("7d")])
        #expect(try cells(Printers.serviceAccount, #"{"metadata": {"name": "bot"}}"#)[1] == .int(0))
    }
}

@Suite struct EventPrinterTests {
    @Test func columns() {
        let columns = Printers.event.columns
        #expect(columns.map(\.name) == ["Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message",
                                        "First Seen", "Count", "Name"])
        #expect(columns.map(\.priority) == [0, 0, 0, 0, 1, 1, 0, 1, 1, 1])
        #expect(columns.map(\.format) == ["", "", "", "", "", "", "", "", "", "name"])
    }

    @Test func repeatedEvent() throws {
        let row = try cells(Printers.event, #"""
            {"metadata": {"name": "web.181a2b3c4d5e6f70", "namespace": "default"},
             "involvedObject": {"kind": "Pod", "name": "web", "namespace": "default",
                                "fieldPath": "spec.containers{app}"},
             "reason": "BackOff", "message": "Back-off restarting failed container app in pod web_default(1d3c)\n",
             "source": {"component": "kubelet", "host": "worker-2"},
             "firstTimestamp": "2025-01-15T11:30:00Z", "lastTimestamp": "2025-01-15T11:59:00Z",
             "count": 14, "type": "Warning"}
            """#)
        #expect(row == [.string("60s"), .string("Warning"), .string("BackOff"), .string("pod/web"),
                        .string("spec.containers{app}"), .string("kubelet, worker-2"),
                        .string("Back-off restarting failed container app in pod web_default(1d3c)"),
                        .string("30m"), .int(14), .string("web.181a2b3c4d5e6f70")])
    }

    @Test func eventsOfTheEventsAPI() throws {
        let single = try cells(Printers.event, #"""
            {"metadata": {"name": "web-7d4b9c8f6.1"},
             "involvedObject": {"kind": "ReplicaSet", "name": "web-7d4b9c8f6"},
             "reason": "SuccessfulCreate", "message": "Created pod: web-7d4b9c8f6-x2x9z", "type": "Normal",
             "eventTime": "2025-01-15T11:57:59.999999Z",
             "reportingComponent": "replicaset-controller", "reportingInstance": ""}
            """#)
        #expect(single == [.string("2m"), .string("Normal"), .string("SuccessfulCreate"),
                           .string("replicaset/web-7d4b9c8f6"), .string(""), .string("replicaset-controller"),
                           .string("Created pod: web-7d4b9c8f6-x2x9z"), .string("2m"), .int(1),
                           .string("web-7d4b9c8f6.1")])
        let series = try cells(Printers.event, #"""
            {"metadata": {"name": "node.1"}, "involvedObject": {"kind": "Node"},
             "reason": "Rebooted", "type": "Warning",
             "eventTime": "2025-01-15T10:00:00.000000Z",
             "series": {"count": 5, "lastObservedTime": "2025-01-15T11:59:30.500000Z"},
             "reportingComponent": "kubelet", "reportingInstance": "worker-1"}
            """#)
        #expect(series == [.string("29s"), .string("Warning"), .string("Rebooted"), .string("node"), .string(""),
                           .string("kubelet, worker-1"), .string(""), .string("120m"), .int(5), .string("node.1")])
        #expect(try cells(Printers.event, #"{"metadata": {"name": "e"}}"#)[0] == .string("<unknown>"))
    }
}
