import Foundation

/// Decodes protobuf messages of Kubernetes Go structs into the JSON Go's `encoding/json` would write for the
/// same struct.
///
/// gogo-protobuf writes non-pointer fields even when they hold their zero value, where Go's JSON omits the
/// zero value of `omitempty` fields. The decoder therefore follows the Go struct, not the wire:
/// - a non-pointer `omitempty` scalar (string, number, bool, `[]byte`) that is zero is dropped;
/// - a pointer field is written whenever it is present on the wire (`replicas: 0` stays), and absent ones
///   are dropped (`omitempty`) or written as `null`;
/// - slices and maps are dropped when empty (`omitempty`) or written as `null` (Go's nil slice);
/// - non-pointer structs are always written (Go never omits a struct: `strategy: {}`), except a zero
///   `metav1.Time`, which is dropped (Go writes `null`; both decode to "absent").
/// Unknown field numbers are skipped, as Go's generated `Unmarshal` does.
struct ProtoMessageDecoder {
    /// The deepest nesting of messages accepted. Kubernetes' types nest about fifteen levels; only
    /// `RawExtension` holding a nested envelope can recurse.
    static let maximumDepth = 100

    let schema: ProtoSchema
    let buffer: [UInt8]

    /// The JSON object of the Go struct `type`, read from the concatenation of `segments` (protobuf merges
    /// repeated occurrences of a singular message field by concatenating them).
    func object(_ type: String, segments: [Range<Int>], depth: Int) throws(ProtobufDecodingError) -> [String: JSONValue] {
        guard depth <= Self.maximumDepth else {
            throw .malformed("protobuf: messages nest deeper than \(Self.maximumDepth) levels")
        }
        guard let message = schema.messages[type] else {
            throw ProtobufDecodingError(.internalSchema, "protobuf: no layout for Go type \(type)")
        }
        var occurrences = [[ProtoWireValue]](repeating: [], count: message.fields.count)
        for segment in segments {
            var reader = ProtoWireReader(buffer, range: segment)
            while let (number, value) = try reader.nextField() {
                if let index = message.indexByNumber[number] { occurrences[index].append(value) }
            }
        }
        var object: [String: JSONValue] = [:]
        var inlined: [String: JSONValue] = [:]
        for (index, field) in message.fields.enumerated() {
            let context = FieldContext(type: type, field: field)
            if field.inline, case .message(let nested) = field.kind {
                let ranges = try lengthDelimited(occurrences[index], context)
                inlined.merge(try self.object(nested, segments: ranges, depth: depth + 1)) { first, _ in first }
                continue
            }
            guard field.jsonName != "-" else { continue }
            if let value = try jsonValue(of: field, occurrences[index], context, depth: depth) {
                object[field.jsonName] = value
            }
        }
        // Go gives a struct's own fields precedence over those promoted from an inline (embedded) struct.
        return object.merging(inlined) { own, _ in own }
    }

    /// The JSON of one field, or nil when Go's JSON would leave it out.
    private func jsonValue(of field: ProtoSchema.Field, _ occurrences: [ProtoWireValue], _ context: FieldContext,
                           depth: Int) throws(ProtobufDecodingError) -> JSONValue? {
        let absent: JSONValue? = field.omitEmpty ? nil : .null
        if field.isMap {
            guard !occurrences.isEmpty else { return absent }
            var members: [String: JSONValue] = [:]
            for occurrence in occurrences {
                let (key, value) = try mapEntry(occurrence, field, context, depth: depth)
                members[key] = value
            }
            return .object(members)
        }
        if field.repeated {
            var elements: [JSONValue] = []
            for occurrence in occurrences {
                try appendElements(of: field.kind, occurrence, to: &elements, context, depth: depth)
            }
            return elements.isEmpty ? absent : .array(elements)
        }
        if field.pointer && occurrences.isEmpty { return absent }
        guard let value = try singular(field.kind, occurrences, context, depth: depth) else { return nil }
        if !field.pointer && field.omitEmpty && Self.isOmittable(value, kind: field.kind) { return nil }
        return value
    }

    /// The value of a singular (non-repeated) field of `kind` from all its occurrences; nil for a zero Time.
    func singular(_ kind: ProtoSchema.ValueKind, _ occurrences: [ProtoWireValue], _ context: FieldContext,
                  depth: Int) throws(ProtobufDecodingError) -> JSONValue? {
        switch kind {
        case .scalar(let scalar):
            // Protobuf: the last occurrence of a singular scalar wins.
            guard let last = occurrences.last else { return zeroValue(scalar) }
            return try scalarValue(scalar, last, context)
        case .message(let type):
            return .object(try object(type, segments: try lengthDelimited(occurrences, context), depth: depth + 1))
        case .special(let special):
            return try specialValue(special, try lengthDelimited(occurrences, context), context, depth: depth)
        case .namedSlice(let element):
            var items: [JSONValue] = []
            for segment in try lengthDelimited(occurrences, context) {
                try appendSliceItems(of: element, segment, to: &items, context, depth: depth)
            }
            return items.isEmpty ? .null : .array(items)
        }
    }

    /// Appends the element(s) one occurrence of a repeated field contributes: one, or several when a scalar
    /// field arrives packed.
    func appendElements(of kind: ProtoSchema.ValueKind, _ occurrence: ProtoWireValue, to elements: inout [JSONValue],
                        _ context: FieldContext, depth: Int) throws(ProtobufDecodingError) {
        switch kind {
        case .scalar(let scalar):
            if case .bytes(let range) = occurrence, scalar.isPackable {
                try appendPacked(scalar, range, to: &elements, context)
            } else {
                elements.append(try scalarValue(scalar, occurrence, context))
            }
        case .message, .special, .namedSlice:
            elements.append(try singular(kind, [occurrence], context, depth: depth) ?? .null)
        }
    }

    /// The items of a named slice type's message (`message ExtraValue { repeated string items = 1; }`).
    private func appendSliceItems(of element: ProtoSchema.ValueKind, _ segment: Range<Int>, to items: inout [JSONValue],
                                  _ context: FieldContext, depth: Int) throws(ProtobufDecodingError) {
        var reader = ProtoWireReader(buffer, range: segment)
        while let (number, value) = try reader.nextField() {
            if number == 1 { try appendElements(of: element, value, to: &items, context, depth: depth + 1) }
        }
    }

    /// The ranges of length-delimited occurrences; any other wire type is an error.
    func lengthDelimited(_ occurrences: [ProtoWireValue], _ context: FieldContext) throws(ProtobufDecodingError)
        -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(occurrences.count)
        for occurrence in occurrences {
            guard case .bytes(let range) = occurrence else {
                throw context.wireTypeMismatch(expected: .lengthDelimited, got: occurrence.wireType)
            }
            ranges.append(range)
        }
        return ranges
    }

    /// Whether Go's `omitempty` drops `value`: false, 0, "", nil and empty slices. Structs are never dropped.
    private static func isOmittable(_ value: JSONValue, kind: ProtoSchema.ValueKind) -> Bool {
        switch kind {
        case .scalar, .namedSlice: break
        case .message, .special: return false
        }
        switch value {
        case .null: return true
        case .bool(let b): return !b
        case .int(let i): return i == 0
        case .double(let d): return d == 0
        case .string(let s): return s.isEmpty
        case .array(let a): return a.isEmpty
        case .object(let o): return o.isEmpty
        }
    }
}

/// Where in a message a field is, for error messages.
struct FieldContext {
    let type: String
    let goName: String
    let number: Int

    init(type: String, field: ProtoSchema.Field) {
        self.type = type
        self.goName = field.goName
        self.number = field.number
    }

    init(type: String, goName: String, number: Int) {
        self.type = type
        self.goName = goName
        self.number = number
    }

    func wireTypeMismatch(expected: ProtoWireType, got: ProtoWireType) -> ProtobufDecodingError {
        .malformed("protobuf: field \(number) (\(goName)) of \(type) has wire type \(got.name), expected \(expected.name)")
    }

    func invalid(_ detail: String) -> ProtobufDecodingError {
        .malformed("protobuf: field \(number) (\(goName)) of \(type): \(detail)")
    }
}
