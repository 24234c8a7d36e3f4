/// Appends protocol-buffer wire format (proto3) to a byte buffer: just what encoding the gnostic
/// OpenAPI v2 messages needs (varints, booleans, doubles, strings and embedded messages).
struct SwaggerProtobufWriter {
    private(set) var bytes: [UInt8] = []

    private enum WireType: UInt64 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
    }

    /// A string field; empty strings are omitted, as proto3 does.
    mutating func string(_ field: Int, _ value: String) {
        guard !value.isEmpty else { return }
        lengthDelimited(field, Array(value.utf8))
    }

    /// A repeated string field.
    mutating func strings(_ field: Int, _ values: [String]) {
        for value in values { lengthDelimited(field, Array(value.utf8)) }
    }

    /// A bool field; false is omitted.
    mutating func bool(_ field: Int, _ value: Bool) {
        guard value else { return }
        tag(field, .varint)
        varint(1)
    }

    /// An int64 field; zero is omitted.
    mutating func int64(_ field: Int, _ value: Int64) {
        guard value != 0 else { return }
        tag(field, .varint)
        varint(UInt64(bitPattern: value))
    }

    /// A double field; zero is omitted.
    mutating func double(_ field: Int, _ value: Double) {
        guard value != 0 else { return }
        tag(field, .fixed64)
        let bits = value.bitPattern
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
    }

    /// An embedded message field, written even when empty (its presence matters, e.g. `properties`).
    mutating func message(_ field: Int, _ build: (inout SwaggerProtobufWriter) -> Void) {
        var inner = SwaggerProtobufWriter()
        build(&inner)
        lengthDelimited(field, inner.bytes)
    }

    private mutating func lengthDelimited(_ field: Int, _ payload: [UInt8]) {
        tag(field, .lengthDelimited)
        varint(UInt64(payload.count))
        bytes.append(contentsOf: payload)
    }

    private mutating func tag(_ field: Int, _ type: WireType) {
        varint(UInt64(field) << 3 | type.rawValue)
    }

    private mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }
}
