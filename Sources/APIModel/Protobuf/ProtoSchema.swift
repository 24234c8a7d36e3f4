import Foundation

/// The protobuf layout of the Kubernetes Go types Skiff decodes, loaded from `schema/proto-fields.json`
/// (embedded as `ProtoSchema.embeddedJSON`; see scripts/protogen/extract_proto_fields.py).
struct ProtoSchema: Sendable {
    /// Go scalar types as they appear on the wire.
    enum Scalar: String, Sendable {
        case string, bytes, bool, int32, int64, int, uint32, uint64, float32, float64
    }

    /// The types that marshal themselves by hand.
    enum Special: String, Sendable {
        /// `metav1.Time`: a Timestamp message, written as RFC 3339 seconds.
        case time
        /// `metav1.MicroTime`: a Timestamp message, written as RFC 3339 with six fractional digits.
        case microTime
        /// `resource.Quantity`: a message whose field 1 is the quantity's text.
        case quantity
        /// `intstr.IntOrString`: {1 type, 2 intVal, 3 strVal}, written as a number or a string.
        case intOrString
        /// `metav1.FieldsV1`, `runtime.RawExtension`: field 1 holds JSON, written as that JSON.
        case rawJSON
    }

    /// How a value of some Go type is read and written.
    indirect enum ValueKind: Sendable {
        case scalar(Scalar)
        case message(String)
        case special(Special)
        /// A named slice type (`type ExtraValue []string`): a message whose field 1 repeats the element.
        case namedSlice(ValueKind)
    }

    /// One field of a struct, as the generator wrote it, with its types resolved.
    struct Field: Sendable {
        let goName: String
        /// The JSON member name; empty for inline fields, `-` for fields JSON never writes.
        let jsonName: String
        let number: Int
        let pointer: Bool
        let repeated: Bool
        let isMap: Bool
        let inline: Bool
        let omitEmpty: Bool
        /// The value kind; for repeated fields the element's, for maps the value's.
        let kind: ValueKind
        /// For maps, the key's kind.
        let keyKind: ValueKind?
    }

    /// A struct's fields in declaration order, and their indices by field number.
    struct Message: Sendable {
        let name: String
        let fields: [Field]
        let indexByNumber: [Int: Int]
    }

    /// The text the schema was generated from.
    let source: String
    /// `apiVersion` + " " + `kind` → Go type; `*` as apiVersion matches any.
    let kinds: [String: String]
    let messages: [String: Message]

    /// The Go type of the object of `kind` in `apiVersion`, if Skiff decodes it.
    func goType(apiVersion: String, kind: String) -> String? {
        kinds[apiVersion + " " + kind] ?? kinds["* " + kind]
    }

    /// The schema in `ProtoSchema.embeddedJSON`, loaded once.
    static let embedded: Result<ProtoSchema, ProtobufDecodingError> = Result { () throws(ProtobufDecodingError) in
        try ProtoSchema(json: Data(embeddedJSON.utf8))
    }
}

extension ProtoSchema {
    /// The file format written by scripts/protogen/extract_proto_fields.py.
    private struct File: Decodable {
        struct Kind: Decodable {
            let apiVersion: String
            let kind: String
            let type: String
        }

        struct FieldEntry: Decodable {
            let go: String
            let json: String
            let number: Int
            let type: String
            let key: String?
            let value: String?
            let pointer: Bool
            let repeated: Bool
            let map: Bool
            let inline: Bool
            let omitempty: Bool
        }

        let source: String
        let kinds: [Kind]
        let special: [String: String]
        let scalars: [String: String]
        let slices: [String: String]
        let structs: [String: [FieldEntry]]
    }

    /// Parses and resolves the generator's JSON.
    init(json: Data) throws(ProtobufDecodingError) {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: json)
        } catch {
            throw ProtobufDecodingError(.internalSchema, "protobuf field table is unreadable: \(error)")
        }
        let resolver = Resolver(file: file)
        var messages: [String: Message] = [:]
        for (name, entries) in file.structs {
            var fields: [Field] = []
            var indexByNumber: [Int: Int] = [:]
            for entry in entries {
                let field = try resolver.field(entry, of: name)
                guard indexByNumber.updateValue(fields.count, forKey: field.number) == nil else {
                    throw ProtobufDecodingError(.internalSchema, "\(name) declares field \(field.number) twice")
                }
                fields.append(field)
            }
            messages[name] = Message(name: name, fields: fields, indexByNumber: indexByNumber)
        }
        var kinds: [String: String] = [:]
        for kind in file.kinds {
            guard messages[kind.type] != nil else {
                throw ProtobufDecodingError(.internalSchema, "kind \(kind.kind) names unknown type \(kind.type)")
            }
            kinds[kind.apiVersion + " " + kind.kind] = kind.type
        }
        self.init(source: file.source, kinds: kinds, messages: messages)
        for message in messages.values {
            for field in message.fields {
                try checkResolved(field.kind, in: message.name)
                if let keyKind = field.keyKind { try checkResolved(keyKind, in: message.name) }
            }
        }
    }

    private func checkResolved(_ kind: ValueKind, in owner: String) throws(ProtobufDecodingError) {
        switch kind {
        case .message(let name) where messages[name] == nil:
            throw ProtobufDecodingError(.internalSchema, "\(owner) refers to undeclared struct \(name)")
        case .namedSlice(let element):
            try checkResolved(element, in: owner)
        default:
            break
        }
    }

    /// Turns the generator's type names into value kinds.
    private struct Resolver {
        let file: File

        func field(_ entry: File.FieldEntry, of owner: String) throws(ProtobufDecodingError) -> Field {
            let kind = try valueKind(entry.map ? (entry.value ?? "") : entry.type, in: owner)
            let keyKind = entry.map ? try valueKind(entry.key ?? "", in: owner) : nil
            if entry.inline {
                guard case .message = kind, !entry.repeated, !entry.map else {
                    throw ProtobufDecodingError(.internalSchema, "\(owner).\(entry.go) is inline but not a struct")
                }
            }
            return Field(goName: entry.go, jsonName: entry.json, number: entry.number, pointer: entry.pointer,
                         repeated: entry.repeated, isMap: entry.map, inline: entry.inline,
                         omitEmpty: entry.omitempty, kind: kind, keyKind: keyKind)
        }

        func valueKind(_ type: String, in owner: String, depth: Int = 0) throws(ProtobufDecodingError) -> ValueKind {
            if let scalar = Scalar(rawValue: type) { return .scalar(scalar) }
            if let special = file.special[type] {
                guard let value = Special(rawValue: special) else {
                    throw ProtobufDecodingError(.internalSchema, "unknown special type \(special) for \(type)")
                }
                return .special(value)
            }
            if let base = file.scalars[type], let scalar = Scalar(rawValue: base) { return .scalar(scalar) }
            if let element = file.slices[type], depth < 8 {
                return .namedSlice(try valueKind(element, in: owner, depth: depth + 1))
            }
            if file.structs[type] != nil { return .message(type) }
            throw ProtobufDecodingError(.internalSchema, "\(owner) refers to unknown type \(type)")
        }
    }
}
