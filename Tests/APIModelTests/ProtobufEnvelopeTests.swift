import Foundation
import Testing
import APIModel

/// The `k8s\0` envelope (runtime.Unknown) and the errors around it.
@Suite struct ProtobufEnvelopeTests {
    private func decode(_ body: Data) throws -> JSONValue { try KubernetesProtobuf.decodeToJSONValue(body) }

    @Test func apiVersionAndKindComeFromTheEnvelope() throws {
        let body = PB.envelope(apiVersion: "coordination.k8s.io/v1", kind: "Lease",
                               PB.message(1, PB.string(1, "leader"), PB.string(3, "kube-system")),
                               contentType: KubernetesProtobuf.mediaType)
        #expect(try decode(body) == .object([
            "apiVersion": .string("coordination.k8s.io/v1"), "kind": .string("Lease"),
            "metadata": .object(["name": .string("leader"), "namespace": .string("kube-system")]),
            "spec": .object([:]),
        ]))
    }

    @Test func deleteOptionsDecodeUnderAnyVersion() throws {
        for apiVersion in ["v1", "apps/v1", "meta.k8s.io/v1"] {
            let json = try decode(PB.envelope(apiVersion: apiVersion, kind: "DeleteOptions",
                                              PB.string(4, "Background") + PB.string(5, "All")))
            #expect(json == .object([
                "apiVersion": .string(apiVersion), "kind": .string("DeleteOptions"),
                "propagationPolicy": .string("Background"), "dryRun": .array([.string("All")]),
            ]))
        }
        #expect(KubernetesProtobuf.supports(apiVersion: "apps/v1", kind: "DeleteOptions"))
    }

    @Test func theSupportedKinds() {
        let kinds: [(String, String)] = [
            ("apps/v1", "Deployment"), ("apps/v1", "ReplicaSet"), ("apps/v1", "StatefulSet"), ("apps/v1", "DaemonSet"),
            ("v1", "Namespace"), ("v1", "ConfigMap"), ("v1", "Secret"), ("v1", "Service"), ("v1", "ServiceAccount"),
            ("v1", "Pod"), ("v1", "ReplicationController"), ("v1", "Node"), ("v1", "Endpoints"), ("v1", "Event"),
            ("coordination.k8s.io/v1", "Lease"), ("discovery.k8s.io/v1", "EndpointSlice"), ("autoscaling/v1", "Scale"),
            ("authorization.k8s.io/v1", "SelfSubjectAccessReview"), ("v1", "DeleteOptions"),
        ]
        for (apiVersion, kind) in kinds {
            #expect(KubernetesProtobuf.supports(apiVersion: apiVersion, kind: kind), "\(apiVersion) \(kind)")
        }
        #expect(!KubernetesProtobuf.supports(apiVersion: "batch/v1", kind: "Job"))
        #expect(!KubernetesProtobuf.supports(apiVersion: "apps/v1", kind: "Namespace"))
    }

    @Test func unsupportedKind() throws {
        let error = #expect(throws: ProtobufDecodingError.self) {
            try decode(PB.envelope(apiVersion: "batch/v1", kind: "Job", PB.message(1, PB.string(1, "j"))))
        }
        #expect(error?.reason == .unsupportedKind)
        #expect(error?.message.contains("\"Job\"") == true)
        #expect(error?.message.contains("\"batch/v1\"") == true)
    }

    @Test func missingMagicIsMalformed() throws {
        for body in [Data(), Data("k8s".utf8), Data(#"{"kind":"Namespace"}"#.utf8), Data([0x6B, 0x38, 0x73, 0x01, 0x0A, 0x00])] {
            let error = #expect(throws: ProtobufDecodingError.self) { try decode(body) }
            #expect(error?.reason == .malformed)
            #expect(error?.message.contains("expected prefix [107 56 115 0]") == true)
        }
    }

    @Test func missingKindIsMalformed() throws {
        let error = #expect(throws: ProtobufDecodingError.self) {
            try decode(PB.envelope(apiVersion: "v1", kind: "", PB.message(1, PB.string(1, "x"))))
        }
        #expect(error?.reason == .malformed)
    }

    @Test func contentEncodingAndForeignContentTypeAreUnsupported() throws {
        let gzip = #expect(throws: ProtobufDecodingError.self) {
            try decode(PB.envelope(apiVersion: "v1", kind: "Namespace", [], contentEncoding: "gzip"))
        }
        #expect(gzip?.reason == .unsupportedEncoding)
        let json = #expect(throws: ProtobufDecodingError.self) {
            try decode(PB.envelope(apiVersion: "v1", kind: "Namespace", [], contentType: "application/json"))
        }
        #expect(json?.reason == .unsupportedEncoding)
    }

    @Test func truncatedBodiesAreMalformed() throws {
        let full = CapturedBodies.deployment.protobuf
        for cut in stride(from: 5, to: full.count, by: 7) {
            let error = #expect(throws: ProtobufDecodingError.self) { try decode(full.prefix(cut)) }
            #expect(error?.reason == .malformed)
        }
    }

    /// A body that is a slice of a larger buffer (non-zero start index) decodes the same.
    @Test func dataSlicesDecode() throws {
        let body = CapturedBodies.namespace.protobuf
        let padded = Data([0xAA, 0xBB]) + body
        #expect(try decode(padded.dropFirst(2)) == decode(body))
    }

    @Test func errorsDescribeThemselves() {
        let error = ProtobufDecodingError(.malformed, "bad")
        #expect(error.description == "bad")
        #expect("\(error)" == "bad")
    }
}
