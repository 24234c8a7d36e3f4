/// The `k8s\0` envelope: the magic bytes, then a `runtime.Unknown` message
/// {1 TypeMeta {1 apiVersion, 2 kind}, 2 raw (the typed message), 3 contentEncoding, 4 contentType}.
extension ProtoMessageDecoder {
    /// The JSON object of the enveloped object in `range`, with `apiVersion` and `kind` from the envelope.
    func envelope(_ range: Range<Int>, depth: Int) throws(ProtobufDecodingError) -> JSONValue {
        guard depth <= Self.maximumDepth else {
            throw .malformed("protobuf: messages nest deeper than \(Self.maximumDepth) levels")
        }
        let magic = KubernetesProtobuf.magic
        guard range.count >= magic.count, buffer[range].starts(with: magic) else {
            throw .malformed("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]")
        }
        let unknown = try Unknown(buffer, range: range.lowerBound + magic.count..<range.upperBound)
        guard unknown.contentEncoding.isEmpty else {
            throw ProtobufDecodingError(.unsupportedEncoding,
                                        "unsupported protobuf content encoding \"\(unknown.contentEncoding)\"")
        }
        guard unknown.contentType.isEmpty || unknown.contentType == KubernetesProtobuf.mediaType else {
            throw ProtobufDecodingError(.unsupportedEncoding,
                                        "unsupported content type \"\(unknown.contentType)\" inside a protobuf envelope")
        }
        guard !unknown.kind.isEmpty else { throw .malformed("Object 'Kind' is missing in protobuf envelope") }
        guard let type = schema.goType(apiVersion: unknown.apiVersion, kind: unknown.kind) else {
            throw ProtobufDecodingError(.unsupportedKind,
                                        "protobuf request bodies of kind \"\(unknown.kind)\" in version "
                                            + "\"\(unknown.apiVersion)\" are not supported; send JSON instead")
        }
        var object = try self.object(type, segments: [unknown.raw], depth: depth + 1)
        if !unknown.apiVersion.isEmpty { object["apiVersion"] = .string(unknown.apiVersion) }
        object["kind"] = .string(unknown.kind)
        return .object(object)
    }
}

/// The fields of a `runtime.Unknown`.
private struct Unknown {
    var apiVersion = ""
    var kind = ""
    var raw: Range<Int>
    var contentEncoding = ""
    var contentType = ""

    init(_ buffer: [UInt8], range: Range<Int>) throws(ProtobufDecodingError) {
        raw = range.upperBound..<range.upperBound
        var reader = ProtoWireReader(buffer, range: range)
        while let (number, value) = try reader.nextField() {
            guard number <= 4 else { continue }
            guard case .bytes(let field) = value else {
                throw .malformed("protobuf: field \(number) of runtime.Unknown has wire type \(value.wireType.name), "
                                 + "expected length-delimited")
            }
            let text = String(decoding: buffer[field], as: UTF8.self)
            switch number {
            case 1: try readTypeMeta(buffer, field)
            case 2: raw = field
            case 3: contentEncoding = text
            default: contentType = text
            }
        }
    }

    private mutating func readTypeMeta(_ buffer: [UInt8], _ range: Range<Int>) throws(ProtobufDecodingError) {
        var reader = ProtoWireReader(buffer, range: range)
        while let (number, value) = try reader.nextField() {
            guard number <= 2 else { continue }
            guard case .bytes(let field) = value else {
                throw .malformed("protobuf: field \(number) of runtime.TypeMeta has wire type \(value.wireType.name), "
                                 + "expected length-delimited")
            }
            let text = String(decoding: buffer[field], as: UTF8.self)
            if number == 1 { apiVersion = text } else { kind = text }
        }
    }
}
