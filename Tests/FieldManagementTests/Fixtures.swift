import APIModel
import FieldManagement

/// Parses JSON text written in a test.
func json(_ text: String) throws -> JSONValue {
    try JSONValue(parsing: text)
}

let deploymentDefinition = "io.k8s.api.apps.v1.Deployment"
let podDefinition = "io.k8s.api.core.v1.Pod"
let serviceDefinition = "io.k8s.api.core.v1.Service"

/// A Deployment as `kubectl create deployment nginx --image=nginx` stores it (after defaulting).
let createdDeploymentJSON = #"""
{"apiVersion":"apps/v1","kind":"Deployment",
 "metadata":{"name":"nginx","namespace":"default","uid":"3f1c","resourceVersion":"100","generation":1,
             "creationTimestamp":"2024-05-01T10:00:00Z","labels":{"app":"nginx"}},
 "spec":{"replicas":1,"selector":{"matchLabels":{"app":"nginx"}},
         "template":{"metadata":{"labels":{"app":"nginx"}},
                     "spec":{"containers":[{"name":"nginx","image":"nginx","imagePullPolicy":"Always",
                                            "resources":{},"terminationMessagePath":"/dev/termination-log",
                                            "terminationMessagePolicy":"File"}],
                             "restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst",
                             "securityContext":{},"schedulerName":"default-scheduler"}},
         "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}},
         "revisionHistoryLimit":10,"progressDeadlineSeconds":600},
 "status":{}}
"""#

/// A time for tests: 2024-05-01T10:00:00Z plus `offset` seconds.
func testTime(_ offset: Int64 = 0) -> Time {
    Time(secondsSinceEpoch: 1_714_557_600 + offset)
}

/// The managedFields entries of an object.
func entries(_ object: JSONValue) -> [JSONValue] {
    object["metadata"]?["managedFields"]?.arrayValue ?? []
}

/// The decoded fields of the entry of `manager` (with `operation`) in an object's managedFields.
func fields(of manager: String, _ operation: String, in object: JSONValue) throws -> FieldSet? {
    guard let entry = entries(object).first(where: { $0["manager"]?.stringValue == manager && $0["operation"]?.stringValue == operation }),
          let encoded = entry["fieldsV1"] else { return nil }
    return try FieldSet(fieldsV1: encoded)
}

/// A path from a dotted list of field names, for readable expectations: `path("spec", "replicas")`.
func path(_ names: String...) -> FieldPath {
    FieldPath(names.map(PathElement.field))
}
