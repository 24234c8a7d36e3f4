import Foundation
import Testing
import APIModel

/// Types that marshal themselves: Time, MicroTime, Quantity, IntOrString, FieldsV1.
@Suite struct ProtobufSpecialTypesTests {
    private static let newYear2024: Int64 = 1_704_067_200

    @Test func timeIsRFC3339SecondsAndNanosAreDropped() throws {
        // ObjectMeta.creationTimestamp (8), a Timestamp {1 seconds, 2 nanos}; metav1.Time ignores the nanos.
        let json = try decodeMessage("meta/v1.ObjectMeta", PB.message(8, PB.int(1, Self.newYear2024), PB.int(2, 999)))
        #expect(json["creationTimestamp"] == .string("2024-01-01T00:00:00Z"))
        let before1970 = try decodeMessage("meta/v1.ObjectMeta", PB.message(8, PB.int(1, -1)))
        #expect(before1970["creationTimestamp"] == .string("1969-12-31T23:59:59Z"))
    }

    /// An empty Timestamp message is Go's zero time; a message holding seconds 0 is the Unix epoch.
    @Test func zeroTimeIsOmitted() throws {
        #expect(try decodeMessage("meta/v1.ObjectMeta", PB.message(8)) == .object([:]))
        #expect(try decodeMessage("meta/v1.ObjectMeta", PB.message(9)) == .object([:]))  // *Time, zero
        let epoch = try decodeMessage("meta/v1.ObjectMeta", PB.message(9, PB.int(1, 0)))
        #expect(epoch["deletionTimestamp"] == .string("1970-01-01T00:00:00Z"))
    }

    @Test func microTimeKeepsMicroseconds() throws {
        // core/v1.Event.eventTime (10), coordination/v1.LeaseSpec.renewTime *MicroTime (4).
        let event = try decodeMessage("core/v1.Event", PB.message(10, PB.int(1, Self.newYear2024), PB.int(2, 123_456_789)))
        #expect(event["eventTime"] == .string("2024-01-01T00:00:00.123456Z"))
        let lease = try decodeMessage("coordination/v1.LeaseSpec", PB.message(4, PB.int(1, Self.newYear2024)))
        #expect(lease["renewTime"] == .string("2024-01-01T00:00:00.000000Z"))
        #expect(try decodeMessage("core/v1.Event")["eventTime"] == nil)
        let typed = try JSONDecoder().decode(MicroTime.self, from: JSONValue.string("2024-01-01T00:00:00.123456Z").serialized())
        #expect(typed.microsecondsSinceEpoch == Self.newYear2024 * 1_000_000 + 123_456)
    }

    @Test func quantityIsItsText() throws {
        // EmptyDirVolumeSource.sizeLimit *Quantity (2); a Quantity message is {1 string}.
        let json = try decodeMessage("core/v1.EmptyDirVolumeSource", PB.message(2, PB.string(1, "1Gi")))
        #expect(json == .object(["sizeLimit": .string("1Gi")]))
        // A Quantity message without its string is the zero quantity.
        #expect(try decodeMessage("core/v1.EmptyDirVolumeSource", PB.message(2)) == .object(["sizeLimit": .string("0")]))
    }

    @Test func invalidQuantityIsMalformed() throws {
        for text in ["", "1.5.5", "abc"] {
            let error = #expect(throws: ProtobufDecodingError.self) {
                try decodeMessage("core/v1.EmptyDirVolumeSource", PB.message(2, PB.string(1, text)))
            }
            #expect(error?.reason == .malformed)
        }
    }

    @Test func intOrStringIsANumberOrAString() throws {
        // RollingUpdateDeployment.maxUnavailable (1), maxSurge (2); IntOrString {1 type, 2 intVal, 3 strVal}.
        let json = try decodeMessage("apps/v1.RollingUpdateDeployment",
                                     PB.message(1, PB.int(1, 0), PB.int(2, -3), PB.string(3, "")),
                                     PB.message(2, PB.int(1, 1), PB.int(2, 0), PB.string(3, "25%")))
        #expect(json == .object(["maxUnavailable": .int(-3), "maxSurge": .string("25%")]))
        // No fields at all: type Int, value 0.
        #expect(try decodeMessage("apps/v1.RollingUpdateDeployment", PB.message(1)) == .object(["maxUnavailable": .int(0)]))
    }

    @Test func impossibleIntOrStringTypeIsMalformed() throws {
        let error = #expect(throws: ProtobufDecodingError.self) {
            try decodeMessage("apps/v1.RollingUpdateDeployment", PB.message(1, PB.int(1, 2)))
        }
        #expect(error?.message.contains("impossible IntOrString.Type 2") == true)
    }

    /// `managedFields[].fieldsV1` carries JSON bytes, written as that JSON.
    @Test func fieldsV1IsTheJSONItHolds() throws {
        let entry = PB.message(17, PB.string(1, "kubectl"), PB.string(2, "Update"), PB.string(3, "v1"),
                               PB.message(4, PB.int(1, Self.newYear2024)), PB.string(6, "FieldsV1"),
                               PB.message(7, PB.string(1, #"{"f:metadata":{"f:labels":{".":{},"f:app":{}}}}"#)))
        let json = try decodeMessage("meta/v1.ObjectMeta", entry)
        #expect(json["managedFields"] == .array([.object([
            "manager": .string("kubectl"), "operation": .string("Update"), "apiVersion": .string("v1"),
            "time": .string("2024-01-01T00:00:00Z"), "fieldsType": .string("FieldsV1"),
            "fieldsV1": .object(["f:metadata": .object(["f:labels": .object([".": .object([:]), "f:app": .object([:])])])]),
        ])]))
        let empty = try decodeMessage("meta/v1.ObjectMeta", PB.message(17, PB.message(7)))
        #expect(empty["managedFields"] == .array([.object(["fieldsV1": .null])]))
    }

    @Test func invalidFieldsV1JSONIsMalformed() throws {
        let error = #expect(throws: ProtobufDecodingError.self) {
            try decodeMessage("meta/v1.ObjectMeta", PB.message(17, PB.message(7, PB.string(1, "{nope"))))
        }
        #expect(error?.reason == .malformed)
    }
}
