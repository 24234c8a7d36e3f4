import Foundation
import Testing
import APIModel

/// A minimal protobuf writer for building test messages field by field.
enum PB {
    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        while value >= 0x80 {
            out.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
        return out
    }

    static func key(_ number: Int, _ wireType: UInt8) -> [UInt8] { varint(UInt64(number) << 3 | UInt64(wireType)) }

    /// A varint field; negative values become ten-byte two's complement, as Go writes int32 and int64.
    static func int(_ number: Int, _ value: Int64) -> [UInt8] { key(number, 0) + varint(UInt64(bitPattern: value)) }

    static func bool(_ number: Int, _ value: Bool) -> [UInt8] { int(number, value ? 1 : 0) }

    static func bytes(_ number: Int, _ value: [UInt8]) -> [UInt8] {
        key(number, 2) + varint(UInt64(value.count)) + value
    }

    static func string(_ number: Int, _ value: String) -> [UInt8] { bytes(number, Array(value.utf8)) }

    /// A nested message field made of `fields`.
    static func message(_ number: Int, _ fields: [UInt8]...) -> [UInt8] { bytes(number, fields.flatMap { $0 }) }

    /// A map entry {1 key, 2 value}.
    static func entry(_ number: Int, _ key: String, _ value: [UInt8]) -> [UInt8] {
        message(number, string(1, key), value)
    }

    static func fixed64(_ number: Int, _ value: UInt64) -> [UInt8] {
        key(number, 1) + (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    static func fixed32(_ number: Int, _ value: UInt32) -> [UInt8] {
        key(number, 5) + (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    /// A `k8s\0` body: runtime.Unknown {1 TypeMeta, 2 raw, 3 contentEncoding, 4 contentType}.
    static func envelope(apiVersion: String, kind: String, _ raw: [UInt8], contentEncoding: String = "",
                         contentType: String = "") -> Data {
        Data([0x6B, 0x38, 0x73, 0x00] + message(1, string(1, apiVersion), string(2, kind)) + bytes(2, raw)
             + string(3, contentEncoding) + string(4, contentType))
    }
}

/// Decodes a bare message of `goType`.
func decodeMessage(_ goType: String, _ fields: [UInt8]...) throws -> JSONValue {
    try KubernetesProtobuf.decodeMessage(Data(fields.flatMap { $0 }), goType: goType)
}

/// The wire format itself: varints, lengths, fixed-width values, packed fields, malformed input.
@Suite struct ProtobufWireTests {
    @Test func negativeInt32AndInt64ReadBackFromTenByteVarints() throws {
        #expect(PB.int(4, -1).count == 11)
        // core/v1.ContainerPort.hostPort int32 (2), core/v1.PodSpec.activeDeadlineSeconds *int64 (5).
        #expect(try decodeMessage("core/v1.ContainerPort", PB.int(2, -5))["hostPort"] == .int(-5))
        #expect(try decodeMessage("core/v1.PodSpec", PB.int(5, Int64.min))["activeDeadlineSeconds"] == .int(Int64.min))
        #expect(try decodeMessage("core/v1.PodSpec", PB.int(5, Int64.max))["activeDeadlineSeconds"] == .int(Int64.max))
        #expect(try decodeMessage("core/v1.ContainerPort", PB.int(3, Int64(Int32.min)))["containerPort"]
            == .int(Int64(Int32.min)))
    }

    @Test func int32TruncatesLikeGo() throws {
        // A varint wider than 32 bits keeps its low 32 bits.
        #expect(try decodeMessage("core/v1.ContainerPort", PB.int(3, 0x1_0000_0050))["containerPort"] == .int(80))
    }

    @Test func boolIsAnyNonZeroVarint() throws {
        #expect(try decodeMessage("core/v1.PodSpec", PB.int(11, 7))["hostNetwork"] == .bool(true))
        // A pointer bool present with false stays (core/v1.PodSpec.automountServiceAccountToken *bool, 21).
        #expect(try decodeMessage("core/v1.PodSpec", PB.bool(21, false))["automountServiceAccountToken"] == .bool(false))
    }

    /// Repeated numbers may arrive one per field or packed into one length-delimited run
    /// (core/v1.PodSecurityContext.supplementalGroups []int64, 4).
    @Test func repeatedNumbersPackedAndUnpacked() throws {
        let unpacked = try decodeMessage("core/v1.PodSecurityContext", PB.int(4, 1), PB.int(4, -2), PB.int(4, 3))
        #expect(unpacked["supplementalGroups"] == .array([.int(1), .int(-2), .int(3)]))
        let packed = try decodeMessage("core/v1.PodSecurityContext",
                                       PB.bytes(4, PB.varint(1) + PB.varint(UInt64(bitPattern: -2)) + PB.varint(3)))
        #expect(packed == unpacked)
        let mixed = try decodeMessage("core/v1.PodSecurityContext", PB.bytes(4, PB.varint(1)), PB.int(4, 2))
        #expect(mixed["supplementalGroups"] == .array([.int(1), .int(2)]))
    }

    @Test func lastOccurrenceOfAScalarWins() throws {
        let json = try decodeMessage("meta/v1.ObjectMeta", PB.string(1, "a"), PB.string(1, "b"))
        #expect(json["name"] == .string("b"))
    }

    /// Protobuf merges repeated occurrences of a singular message field.
    @Test func occurrencesOfAMessageFieldMerge() throws {
        let json = try decodeMessage("apps/v1.Deployment",
                                     PB.message(1, PB.string(1, "web")), PB.message(1, PB.string(3, "default")))
        #expect(json["metadata"] == .object(["name": .string("web"), "namespace": .string("default")]))
    }

    /// Go's generated Unmarshal skips fields it does not know, of any wire type.
    @Test func unknownFieldsAreSkipped() throws {
        let json = try decodeMessage("meta/v1.ObjectMeta", PB.int(999, 5), PB.string(1, "x"), PB.fixed64(1000, 7),
                                     PB.fixed32(1001, 7), PB.message(1002, PB.string(1, "y")))
        #expect(json == .object(["name": .string("x")]))
    }

    @Test func truncatedInputIsMalformed() throws {
        let full = PB.string(1, "team-a")
        for cut in 1..<full.count {
            let error = #expect(throws: ProtobufDecodingError.self) {
                try KubernetesProtobuf.decodeMessage(Data(full.prefix(cut)), goType: "meta/v1.ObjectMeta")
            }
            #expect(error?.reason == .malformed)
        }
    }

    @Test func varintLongerThanTenBytesIsMalformed() throws {
        let bytes: [UInt8] = [0x08] + Array(repeating: 0xFF, count: 10) + [0x01]
        let error = #expect(throws: ProtobufDecodingError.self) {
            try KubernetesProtobuf.decodeMessage(Data(bytes), goType: "core/v1.ContainerPort")
        }
        #expect(error?.message.contains("overflows") == true)
    }

    @Test func lengthPastTheEndIsMalformed() throws {
        let error = #expect(throws: ProtobufDecodingError.self) {
            try KubernetesProtobuf.decodeMessage(Data([0x0A, 0x05, 0x61]), goType: "meta/v1.ObjectMeta")
        }
        #expect(error?.reason == .malformed)
    }

    @Test func fieldNumberZeroAndGroupsAreMalformed() throws {
        for bytes: [UInt8] in [[0x00, 0x01], [0x0B, 0x0C], [0x0F]] {
            let error = #expect(throws: ProtobufDecodingError.self) {
                try KubernetesProtobuf.decodeMessage(Data(bytes), goType: "meta/v1.ObjectMeta")
            }
            #expect(error?.reason == .malformed)
        }
    }

    @Test func wrongWireTypeForAKnownFieldIsMalformed() throws {
        // ObjectMeta.name (1) is a string, sent here as a varint.
        let error = #expect(throws: ProtobufDecodingError.self) {
            try decodeMessage("meta/v1.ObjectMeta", PB.int(1, 3))
        }
        #expect(error?.message == "protobuf: field 1 (Name) of meta/v1.ObjectMeta has wire type varint, expected length-delimited")
        // A nested message sent as a varint.
        #expect(throws: ProtobufDecodingError.self) { try decodeMessage("apps/v1.Deployment", PB.int(1, 3)) }
    }

    @Test func invalidUTF8BecomesReplacementCharacters() throws {
        let json = try decodeMessage("meta/v1.ObjectMeta", PB.bytes(1, [0x61, 0xFF, 0x62]))
        #expect(json["name"] == .string("a\u{FFFD}b"))
    }
}
