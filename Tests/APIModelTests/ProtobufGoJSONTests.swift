import Foundation
import Testing
import APIModel

/// The JSON follows Go's encoding/json for the decoded struct, not the wire: gogo-protobuf writes zero
/// non-pointer fields, Go's JSON leaves out zero `omitempty` ones.
@Suite struct ProtobufGoJSONTests {
    @Test func zeroOmitemptyScalarsAreDropped() throws {
        // ObjectMeta: name "" (1), namespace "" (3), generation 0 (7), labels none: all omitempty.
        let json = try decodeMessage("meta/v1.ObjectMeta", PB.string(1, ""), PB.string(3, ""), PB.int(7, 0))
        #expect(json == .object([:]))
    }

    @Test func zeroScalarsWithoutOmitemptyAreWritten() throws {
        // ContainerPort.containerPort int32 has no omitempty; Volume.name neither.
        #expect(try decodeMessage("core/v1.ContainerPort") == .object(["containerPort": .int(0)]))
        #expect(try decodeMessage("core/v1.Volume")["name"] == .string(""))
        // autoscaling/v1.ScaleStatus.replicas (1) has no omitempty; selector (2) has.
        #expect(try decodeMessage("autoscaling/v1.ScaleStatus") == .object(["replicas": .int(0)]))
    }

    @Test func pointersPresentWithZeroAreKept() throws {
        // LeaseSpec.holderIdentity *string (1), leaseDurationSeconds *int32 (2).
        let json = try decodeMessage("coordination/v1.LeaseSpec", PB.string(1, ""), PB.int(2, 0))
        #expect(json == .object(["holderIdentity": .string(""), "leaseDurationSeconds": .int(0)]))
        #expect(try decodeMessage("coordination/v1.LeaseSpec") == .object([:]))
        // DeleteOptions.propagationPolicy is a *DeletionPropagation (a string) although its tag says varint.
        let options = try decodeMessage("meta/v1.DeleteOptions", PB.string(4, "Foreground"), PB.int(1, 0))
        #expect(options == .object(["propagationPolicy": .string("Foreground"), "gracePeriodSeconds": .int(0)]))
    }

    /// Go never omits a struct value, `omitempty` or not; absent ones are their zero value.
    @Test func nonPointerStructsAreAlwaysWritten() throws {
        let json = try decodeMessage("apps/v1.DeploymentSpec")
        #expect(json["strategy"] == .object([:]))
        #expect(json["template"] == .object(["metadata": .object([:]), "spec": .object(["containers": .null])]))
        #expect(json["selector"] == .null)  // *LabelSelector without omitempty
    }

    @Test func absentPointersWithoutOmitemptyAreNull() throws {
        // discovery/v1.EndpointSlice endpoints and ports have no omitempty: nil slices are null.
        let json = try decodeMessage("discovery/v1.EndpointSlice", PB.string(4, "IPv4"))
        #expect(json == .object([
            "metadata": .object([:]), "addressType": .string("IPv4"), "endpoints": .null, "ports": .null,
        ]))
        // NodeSelector.nodeSelectorTerms has no omitempty.
        #expect(try decodeMessage("core/v1.NodeSelector") == .object(["nodeSelectorTerms": .null]))
    }

    @Test func repeatedMessagesAndStrings() throws {
        let json = try decodeMessage("meta/v1.ObjectMeta",
                                     PB.string(14, "a/b"), PB.string(14, "c/d"),
                                     PB.message(13, PB.string(5, "apps/v1"), PB.string(1, "ReplicaSet"),
                                                PB.string(3, "web-1"), PB.string(4, "uid-1"), PB.bool(6, true)))
        #expect(json["finalizers"] == .array([.string("a/b"), .string("c/d")]))
        #expect(json["ownerReferences"] == .array([.object([
            "apiVersion": .string("apps/v1"), "kind": .string("ReplicaSet"), "name": .string("web-1"),
            "uid": .string("uid-1"), "controller": .bool(true),
        ])]))
    }

    @Test func mapsOfStringsBytesAndQuantities() throws {
        let labels = try decodeMessage("meta/v1.ObjectMeta",
                                       PB.entry(11, "app", PB.string(2, "web")), PB.entry(11, "tier", PB.string(2, "")),
                                       PB.entry(11, "app", PB.string(2, "api")))
        #expect(labels["labels"] == .object(["app": .string("api"), "tier": .string("")]))

        let binary: [UInt8] = [0, 1, 2, 0xFF]
        let configMap = try decodeMessage("core/v1.ConfigMap", PB.entry(3, "blob", PB.bytes(2, binary)),
                                          PB.message(3, PB.string(1, "empty")))
        #expect(configMap["binaryData"] == .object([
            "blob": .string(Data(binary).base64EncodedString()), "empty": .string(""),
        ]))

        let resources = try decodeMessage("core/v1.ResourceRequirements",
                                          PB.entry(1, "cpu", PB.message(2, PB.string(1, "500m"))),
                                          PB.entry(1, "memory", PB.message(2, PB.string(1, "128Mi"))),
                                          PB.entry(2, "cpu", PB.message(2)))
        #expect(resources == .object([
            "limits": .object(["cpu": .string("500m"), "memory": .string("128Mi")]),
            "requests": .object(["cpu": .string("0")]),
        ]))
    }

    /// `json:",inline"` with a protobuf tag: a nested message whose members join the parent object.
    @Test func inlineMessagesMergeIntoTheParent() throws {
        let volume = try decodeMessage("core/v1.Volume", PB.string(1, "cache"),
                                       PB.message(2, PB.message(2, PB.string(1, "Memory"))))
        #expect(volume == .object(["name": .string("cache"), "emptyDir": .object(["medium": .string("Memory")])]))

        let probe = try decodeMessage("core/v1.Probe",
                                      PB.message(1, PB.message(2, PB.string(1, "/healthz"),
                                                               PB.message(2, PB.int(1, 0), PB.int(2, 8080)))),
                                      PB.int(2, 5))
        #expect(probe == .object([
            "httpGet": .object(["path": .string("/healthz"), "port": .int(8080)]),
            "initialDelaySeconds": .int(5),
        ]))
    }

    @Test func nestedPodSpec() throws {
        let container = PB.message(2, PB.string(1, "app"), PB.string(2, "busybox"),
                                   PB.string(3, "sh"), PB.string(3, "-c"),
                                   PB.message(7, PB.string(1, "MODE"), PB.string(2, "prod")),
                                   PB.message(10, PB.message(1, PB.message(1, PB.string(1, "true")))))
        let json = try decodeMessage("core/v1.PodSpec", container, PB.string(3, "Never"), PB.int(4, 0),
                                     PB.entry(7, "disk", PB.string(2, "ssd")))
        #expect(json == .object([
            "containers": .array([.object([
                "name": .string("app"), "image": .string("busybox"),
                "command": .array([.string("sh"), .string("-c")]),
                "env": .array([.object(["name": .string("MODE"), "value": .string("prod")])]),
                "resources": .object([:]),
                "livenessProbe": .object(["exec": .object(["command": .array([.string("true")])])]),
            ])]),
            "restartPolicy": .string("Never"),
            "terminationGracePeriodSeconds": .int(0),
            "nodeSelector": .object(["disk": .string("ssd")]),
        ]))
    }
}
