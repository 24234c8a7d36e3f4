import Foundation

/// The types that marshal themselves by hand, decoded as their Go `Unmarshal` and written as their Go
/// `MarshalJSON`.
extension ProtoMessageDecoder {
    /// The JSON of a special type from the segments of its field; nil for a zero `Time`/`MicroTime`.
    func specialValue(_ special: ProtoSchema.Special, _ segments: [Range<Int>], _ context: FieldContext, depth: Int)
        throws(ProtobufDecodingError) -> JSONValue? {
        switch special {
        case .time, .microTime:
            // `Time.Unmarshal` replaces the value: the last occurrence wins; an empty message is the zero time.
            guard let last = segments.last, !last.isEmpty else { return nil }
            let (seconds, nanos) = try timestamp(last, context)
            return .string(special == .time ? timeText(seconds: seconds)
                                            : try microTimeText(seconds: seconds, nanos: nanos, context))
        case .quantity:
            return .string(try quantityText(segments, context))
        case .intOrString:
            return try intOrString(segments, context)
        case .rawJSON:
            return try rawJSON(segments, context, depth: depth)
        }
    }

    /// A `Timestamp` message: {1 seconds int64, 2 nanos int32}.
    private func timestamp(_ range: Range<Int>, _ context: FieldContext) throws(ProtobufDecodingError)
        -> (seconds: Int64, nanos: Int32) {
        var seconds: Int64 = 0
        var nanos: Int32 = 0
        var reader = ProtoWireReader(buffer, range: range)
        while let (number, value) = try reader.nextField() {
            switch (number, value) {
            case (1, .varint(let v)): seconds = Int64(bitPattern: v)
            case (2, .varint(let v)): nanos = Int32(truncatingIfNeeded: v)
            case (1, _), (2, _): throw context.wireTypeMismatch(expected: .varint, got: value.wireType)
            default: break
            }
        }
        return (seconds, nanos)
    }

    /// `metav1.Time`: whole seconds (its `Unmarshal` drops the nanoseconds), RFC 3339 in UTC.
    private func timeText(seconds: Int64) -> String {
        RFC3339.format(seconds: seconds, micros: nil)
    }

    /// `metav1.MicroTime`: nanoseconds truncated to microseconds, RFC 3339 with six fractional digits.
    private func microTimeText(seconds: Int64, nanos: Int32, _ context: FieldContext) throws(ProtobufDecodingError)
        -> String {
        let (scaled, overflow1) = seconds.multipliedReportingOverflow(by: 1_000_000)
        let (total, overflow2) = scaled.addingReportingOverflow(Int64(nanos) / 1000)
        guard !overflow1, !overflow2 else { throw context.invalid("timestamp out of range") }
        let wholeSeconds = total >= 0 ? total / 1_000_000 : (total - 999_999) / 1_000_000
        return RFC3339.format(seconds: wholeSeconds, micros: total - wholeSeconds * 1_000_000)
    }

    /// `resource.Quantity`: {1 string}. The text is what the client's `Quantity.String()` produced, which is
    /// also what its JSON would carry; it must parse (Go's `Unmarshal` calls `ParseQuantity`). A message
    /// without the field is the zero quantity, `"0"`.
    private func quantityText(_ segments: [Range<Int>], _ context: FieldContext) throws(ProtobufDecodingError)
        -> String {
        var text: String?
        for segment in segments {
            var reader = ProtoWireReader(buffer, range: segment)
            while let (number, value) = try reader.nextField() {
                guard number == 1 else { continue }
                guard case .bytes(let range) = value else {
                    throw context.wireTypeMismatch(expected: .lengthDelimited, got: value.wireType)
                }
                text = String(decoding: buffer[range], as: UTF8.self)
            }
        }
        guard let text else { return "0" }
        do {
            _ = try Quantity(parsing: text)
        } catch {
            throw context.invalid("\(error.message) (\"\(text)\")")
        }
        return text
    }

    /// `intstr.IntOrString`: {1 type (0 int, 1 string), 2 intVal int32, 3 strVal string}, written as a
    /// number or a string.
    private func intOrString(_ segments: [Range<Int>], _ context: FieldContext) throws(ProtobufDecodingError)
        -> JSONValue {
        var type: Int64 = 0
        var intValue: Int32 = 0
        var stringValue = ""
        for segment in segments {
            var reader = ProtoWireReader(buffer, range: segment)
            while let (number, value) = try reader.nextField() {
                switch (number, value) {
                case (1, .varint(let v)): type = Int64(bitPattern: v)
                case (2, .varint(let v)): intValue = Int32(truncatingIfNeeded: v)
                case (3, .bytes(let range)): stringValue = String(decoding: buffer[range], as: UTF8.self)
                case (1, _), (2, _): throw context.wireTypeMismatch(expected: .varint, got: value.wireType)
                case (3, _): throw context.wireTypeMismatch(expected: .lengthDelimited, got: value.wireType)
                default: break
                }
            }
        }
        switch type {
        case 0: return .int(Int64(intValue))
        case 1: return .string(stringValue)
        default: throw context.invalid("impossible IntOrString.Type \(type)")
        }
    }

    /// `metav1.FieldsV1` and `runtime.RawExtension`: field 1 holds the serialized value, JSON or (for a
    /// RawExtension written by a protobuf client) another `k8s\0` envelope. No bytes is `null`.
    private func rawJSON(_ segments: [Range<Int>], _ context: FieldContext, depth: Int) throws(ProtobufDecodingError)
        -> JSONValue {
        var raw: Range<Int>?
        for segment in segments {
            var reader = ProtoWireReader(buffer, range: segment)
            while let (number, value) = try reader.nextField() {
                guard number == 1 else { continue }
                guard case .bytes(let range) = value else {
                    throw context.wireTypeMismatch(expected: .lengthDelimited, got: value.wireType)
                }
                raw = range
            }
        }
        guard let raw, !raw.isEmpty else { return .null }
        if buffer[raw].starts(with: KubernetesProtobuf.magic) {
            return try envelope(raw, depth: depth + 1)
        }
        do {
            return try JSONValue(parsing: Data(buffer[raw]))
        } catch {
            throw context.invalid("embedded JSON is invalid: \(error.message)")
        }
    }
}
