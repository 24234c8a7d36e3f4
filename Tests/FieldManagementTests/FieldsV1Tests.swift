import Testing
import APIModel
import FieldManagement

@Suite struct FieldsV1Tests {
    /// managedFields of `kubectl create deployment` in Kubernetes 1.28.
    static let kubectlCreateDeployment = #"""
    {"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:progressDeadlineSeconds":{},"f:replicas":{},
     "f:revisionHistoryLimit":{},"f:selector":{},"f:strategy":{"f:rollingUpdate":{".":{},"f:maxSurge":{},
     "f:maxUnavailable":{}},"f:type":{}},"f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},
     "f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:imagePullPolicy":{},"f:name":{},
     "f:resources":{},"f:terminationMessagePath":{},"f:terminationMessagePolicy":{}}},"f:dnsPolicy":{},
     "f:restartPolicy":{},"f:schedulerName":{},"f:securityContext":{},"f:terminationGracePeriodSeconds":{}}}}}
    """#

    /// A Service applied server-side: a two-field key, a set, and an index-addressed list.
    static let serviceAndFinalizers = #"""
    {"f:metadata":{"f:finalizers":{".":{},"v:\"example.com/a\"":{},"v:\"example.com/b\"":{}}},
     "f:spec":{"f:ports":{"k:{\"port\":80,\"protocol\":\"TCP\"}":{".":{},"f:port":{},"f:protocol":{},"f:targetPort":{}}},
     "f:selector":{}},"f:status":{"f:conditions":{"i:0":{".":{},"f:type":{}}}}}
    """#

    @Test(arguments: [kubectlCreateDeployment, serviceAndFinalizers])
    func roundTrips(_ text: String) throws {
        let encoded = try json(text)
        let set = try FieldSet(fieldsV1: encoded)
        #expect(set.fieldsV1 == encoded)
        #expect(try FieldSet(fieldsV1: set.fieldsV1) == set)
    }

    @Test func decodesMembersAndChildren() throws {
        let set = try FieldSet(fieldsV1: try json(FieldsV1Tests.kubectlCreateDeployment))
        let nginx = PathElement.key(["name": .string("nginx")])
        let containers: [PathElement] = [.field("spec"), .field("template"), .field("spec"), .field("containers")]
        #expect(set.contains(FieldPath(containers + [nginx])))
        #expect(set.contains(FieldPath(containers + [nginx, .field("image")])))
        #expect(!set.contains(FieldPath(containers)))
        #expect(set.contains(path("metadata", "labels")))
        #expect(set.contains(path("metadata", "labels", "app")))
        #expect(!set.contains(path("spec")))
        #expect(!set.contains(path("spec", "strategy")))
        #expect(set.contains(path("spec", "strategy", "rollingUpdate")))
        #expect(set.contains(path("spec", "selector")))
        #expect(set.count == 24)
    }

    @Test func encodesKeysCompactAndSorted() throws {
        let element = PathElement.key(["protocol": .string("TCP"), "port": .int(80)])
        #expect(element.fieldsV1Key == #"k:{"port":80,"protocol":"TCP"}"#)
        #expect(PathElement.value(.string("a")).fieldsV1Key == #"v:"a""#)
        #expect(PathElement.index(3).fieldsV1Key == "i:3")
        #expect(try PathElement(fieldsV1Key: #"k:{"protocol":"TCP","port":80}"#) == element)
        let set = FieldSet([FieldPath([.field("ports"), element]), FieldPath([.field("ports"), element, .field("port")])])
        #expect(set.fieldsV1.serializedString() == #"{"f:ports":{"k:{\"port\":80,\"protocol\":\"TCP\"}":{".":{},"f:port":{}}}}"#)
    }

    @Test(arguments: [
        #"[]"#, #"{"f:a":1}"#, #"{"x:a":{}}"#, #"{"f":{}}"#, #"{"k:notjson":{}}"#, #"{"k:[1]":{}}"#,
        #"{"i:-1":{}}"#, #"{"i:x":{}}"#, #"{"v:":{}}"#, #"{"f:a":{".":1}}"#, #"{"f:a":{".":{"f:b":{}}}}"#,
    ])
    func rejectsMalformed(_ text: String) throws {
        let value = try json(text)
        #expect(throws: FieldsV1DecodingError.self) { try FieldSet(fieldsV1: value) }
    }

    @Test func emptyEncodingIsEmptySet() throws {
        #expect(try FieldSet(fieldsV1: .object([:])).isEmpty)
        #expect(FieldSet().fieldsV1 == .object([:]))
    }
}

@Suite struct PathDescriptionTests {
    @Test func describesPathsAsKubernetes() {
        #expect(path("spec", "replicas").description == ".spec.replicas")
        let container = FieldPath([.field("spec"), .field("template"), .field("spec"), .field("containers"),
                                   .key(["name": .string("nginx")]), .field("image")])
        #expect(container.description == #".spec.template.spec.containers[name="nginx"].image"#)
        #expect(FieldPath([.field("metadata"), .field("finalizers"), .value(.string("a"))]).description == #".metadata.finalizers[="a"]"#)
        let port = FieldPath([.field("spec"), .field("ports"), .key(["protocol": .string("TCP"), "port": .int(80)])])
        #expect(port.description == #".spec.ports[port=80,protocol="TCP"]"#)
        #expect(FieldPath([.field("status"), .field("conditions"), .index(0)]).description == ".status.conditions[0]")
    }
}
