import Foundation

/// A type that reads itself straight from JSON bytes. Every generated model type conforms (see
/// scripts/modelgen/gen_model.py), as do the scalars, arrays and string-keyed maps of them.
///
/// A reading must produce exactly what `Decodable.init(from:)` with `JSONDecoder` produces from the same
/// document, or throw: `ModelJSON` then decodes with `JSONDecoder`, whose errors name the field.
public protocol JSONReadable {
    init(reading reader: inout JSONReader) throws(JSONParsingError)
}

/// A type that writes itself as JSON: the same document its `Encodable` conformance makes with
/// `JSONEncoder` (`.withoutEscapingSlashes`), with object keys in sorted order.
public protocol JSONWritable {
    func write(to writer: inout JSONWriter)
}

public typealias JSONModelCodable = JSONReadable & JSONWritable

extension String: JSONReadable, JSONWritable {
    public init(reading reader: inout JSONReader) throws(JSONParsingError) { self = try reader.readString() }
    public func write(to writer: inout JSONWriter) { writer.write(self) }
}

extension Bool: JSONReadable, JSONWritable {
    public init(reading reader: inout JSONReader) throws(JSONParsingError) { self = try reader.readBool() }
    public func write(to writer: inout JSONWriter) { writer.write(self) }
}

extension Int32: JSONReadable, JSONWritable {
    public init(reading reader: inout JSONReader) throws(JSONParsingError) { self = try reader.readInteger(Int32.self) }
    public func write(to writer: inout JSONWriter) { writer.write(integer: self) }
}

extension Int64: JSONReadable, JSONWritable {
    public init(reading reader: inout JSONReader) throws(JSONParsingError) { self = try reader.readInteger(Int64.self) }
    public func write(to writer: inout JSONWriter) { writer.write(integer: self) }
}

extension Int: JSONReadable, JSONWritable {
    public init(reading reader: inout JSONReader) throws(JSONParsingError) { self = try reader.readInteger(Int.self) }
    public func write(to writer: inout JSONWriter) { writer.write(integer: self) }
}

extension Double: JSONReadable, JSONWritable {
    public init(reading reader: inout JSONReader) throws(JSONParsingError) { self = try reader.readDouble() }
    public func write(to writer: inout JSONWriter) { writer.write(self) }
}

/// Base64, as `JSONDecoder`'s default data strategy.
extension Data: JSONReadable, JSONWritable {
    public init(reading reader: inout JSONReader) throws(JSONParsingError) {
        let text = try reader.readString()
        guard let data = Data(base64Encoded: text) else { throw reader.typeMismatch("base64") }
        self = data
    }

    public func write(to writer: inout JSONWriter) { writer.write(base64EncodedString()) }
}

extension JSONValue: JSONReadable, JSONWritable {
    public init(reading reader: inout JSONReader) throws(JSONParsingError) { self = try reader.readValue() }
    public func write(to writer: inout JSONWriter) { writer.write(self) }
}

extension Array: JSONReadable where Element: JSONReadable {
    public init(reading reader: inout JSONReader) throws(JSONParsingError) {
        try reader.beginArray()
        var elements: [Element] = []
        var first = true
        while try reader.nextElement(first: &first) {
            elements.append(try Element(reading: &reader))
        }
        self = elements
    }
}

extension Array: JSONWritable where Element: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginArray()
        for element in self { element.write(to: &writer) }
        writer.endArray()
    }
}

extension Dictionary: JSONReadable where Key == String, Value: JSONReadable {
    public init(reading reader: inout JSONReader) throws(JSONParsingError) {
        try reader.beginObject()
        var members: [String: Value] = [:]
        var first = true
        while let key = try reader.nextKey(first: &first) {
            members[key.string] = try Value(reading: &reader)
        }
        self = members
    }
}

extension Dictionary: JSONWritable where Key == String, Value: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        for name in keys.sorted(by: JSONValue.keyPrecedes) {
            writer.key(name)
            self[name]!.write(to: &writer)
        }
        writer.endObject()
    }
}

extension Time: JSONReadable, JSONWritable {
    public init(reading reader: inout JSONReader) throws(JSONParsingError) {
        guard let parsed = RFC3339.parse(try reader.readString()) else { throw reader.typeMismatch("an RFC 3339 time") }
        self.init(secondsSinceEpoch: parsed.seconds)
    }

    public func write(to writer: inout JSONWriter) { writer.write(description) }
}

extension MicroTime: JSONReadable, JSONWritable {
    public init(reading reader: inout JSONReader) throws(JSONParsingError) {
        guard let parsed = RFC3339.parse(try reader.readString()) else { throw reader.typeMismatch("an RFC 3339 time") }
        self.init(microsecondsSinceEpoch: parsed.seconds * 1_000_000 + parsed.micros)
    }

    public func write(to writer: inout JSONWriter) { writer.write(description) }
}

extension IntOrString: JSONReadable, JSONWritable {
    public init(reading reader: inout JSONReader) throws(JSONParsingError) {
        if try reader.peek() == UInt8(ascii: "\"") {
            self = .string(try reader.readString())
        } else {
            self = .int(try reader.readInteger(Int32.self))
        }
    }

    public func write(to writer: inout JSONWriter) {
        switch self {
        case .int(let value): writer.write(integer: value)
        case .string(let text): writer.write(text)
        }
    }
}

/// Strings only (the form every writer uses); numbers and `null` go through `Decodable`.
extension Quantity: JSONReadable, JSONWritable {
    public init(reading reader: inout JSONReader) throws(JSONParsingError) {
        let text = try reader.readString()
        guard let quantity = Quantity(jsonText: text) else { throw reader.typeMismatch("a quantity") }
        self = quantity
    }

    public func write(to writer: inout JSONWriter) { writer.write(description) }
}
