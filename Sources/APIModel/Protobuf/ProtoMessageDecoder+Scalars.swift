import Foundation

extension ProtoSchema.Scalar {
    /// The wire type a single value of this scalar uses.
    var wireType: ProtoWireType {
        switch self {
        case .string, .bytes: .lengthDelimited
        case .bool, .int32, .int64, .int, .uint32, .uint64: .varint
        case .float64: .fixed64
        case .float32: .fixed32
        }
    }

    /// Whether a repeated field of this scalar may arrive packed (one length-delimited run of values).
    var isPackable: Bool { wireType != .lengthDelimited }
}

extension ProtoMessageDecoder {
    /// The JSON of one scalar value, as Go's JSON writes it: strings as text, `[]byte` as base64, integers as
    /// numbers (int32 truncated from the 64-bit varint, so negative values read back), bools as `true`/`false`.
    func scalarValue(_ scalar: ProtoSchema.Scalar, _ value: ProtoWireValue, _ context: FieldContext)
        throws(ProtobufDecodingError) -> JSONValue {
        switch (scalar, value) {
        case (.string, .bytes(let range)):
            return .string(String(decoding: buffer[range], as: UTF8.self))
        case (.bytes, .bytes(let range)):
            return .string(Data(buffer[range]).base64EncodedString())
        case (.bool, .varint(let v)):
            return .bool(v != 0)
        case (.int32, .varint(let v)):
            return .int(Int64(Int32(truncatingIfNeeded: v)))
        case (.int64, .varint(let v)), (.int, .varint(let v)):
            return .int(Int64(bitPattern: v))
        case (.uint32, .varint(let v)):
            return .int(Int64(UInt32(truncatingIfNeeded: v)))
        case (.uint64, .varint(let v)):
            return v <= UInt64(Int64.max) ? .int(Int64(v)) : .double(Double(v))
        case (.float64, .fixed64(let v)):
            return .double(Double(bitPattern: v))
        case (.float32, .fixed32(let v)):
            return .double(Double(Float(bitPattern: v)))
        default:
            throw context.wireTypeMismatch(expected: scalar.wireType, got: value.wireType)
        }
    }

    /// The value Go's JSON writes for a scalar the wire did not carry: its zero value (`null` for `[]byte`,
    /// which stays nil).
    func zeroValue(_ scalar: ProtoSchema.Scalar) -> JSONValue {
        switch scalar {
        case .string: .string("")
        case .bytes: .null
        case .bool: .bool(false)
        case .int32, .int64, .int, .uint32, .uint64: .int(0)
        case .float32, .float64: .double(0)
        }
    }

    /// Appends the values of a packed repeated scalar field.
    func appendPacked(_ scalar: ProtoSchema.Scalar, _ range: Range<Int>, to elements: inout [JSONValue],
                      _ context: FieldContext) throws(ProtobufDecodingError) {
        var reader = ProtoWireReader(buffer, range: range)
        while !reader.isAtEnd {
            let value: ProtoWireValue
            switch scalar.wireType {
            case .varint: value = .varint(try reader.readVarint())
            case .fixed64: value = .fixed64(try reader.readFixed64())
            case .fixed32: value = .fixed32(try reader.readFixed32())
            default: throw context.invalid("a packed field must hold numbers")
            }
            elements.append(try scalarValue(scalar, value, context))
        }
    }

    /// One entry of a map field: a message {1 key, 2 value}. A missing key or value is the zero value, as in
    /// Go (a missing `[]byte` value is empty, not nil).
    func mapEntry(_ occurrence: ProtoWireValue, _ field: ProtoSchema.Field, _ context: FieldContext, depth: Int)
        throws(ProtobufDecodingError) -> (String, JSONValue) {
        guard case .bytes(let range) = occurrence else {
            throw context.wireTypeMismatch(expected: .lengthDelimited, got: occurrence.wireType)
        }
        var keys: [ProtoWireValue] = []
        var values: [ProtoWireValue] = []
        var reader = ProtoWireReader(buffer, range: range)
        while let (number, value) = try reader.nextField() {
            if number == 1 { keys.append(value) } else if number == 2 { values.append(value) }
        }
        guard case .scalar(let keyScalar)? = field.keyKind else { throw context.invalid("map keys must be scalars") }
        let key: String
        switch try singular(.scalar(keyScalar), keys, context, depth: depth) {
        case .string(let text)?: key = text
        case .int(let number)?: key = String(number)
        case .bool(let flag)?: key = String(flag)
        default: throw context.invalid("unsupported map key")
        }
        if values.isEmpty, case .scalar(.bytes) = field.kind { return (key, .string("")) }
        // Go's generated code decodes a map entry's value afresh for each occurrence: the last one wins.
        let value = try singular(field.kind, Array(values.suffix(1)), context, depth: depth) ?? .null
        return (key, value)
    }
}
