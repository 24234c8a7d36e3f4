/// The wire types of the protobuf encoding (the low three bits of a field key).
enum ProtoWireType: UInt8, Sendable {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case startGroup = 3
    case endGroup = 4
    case fixed32 = 5

    var name: String {
        switch self {
        case .varint: "varint"
        case .fixed64: "fixed64"
        case .lengthDelimited: "length-delimited"
        case .startGroup: "start-group"
        case .endGroup: "end-group"
        case .fixed32: "fixed32"
        }
    }
}

/// One field value as read from the wire. Length-delimited values are ranges of the shared buffer, so nested
/// messages are never copied.
enum ProtoWireValue: Sendable {
    case varint(UInt64)
    case fixed64(UInt64)
    case fixed32(UInt32)
    case bytes(Range<Int>)

    var wireType: ProtoWireType {
        switch self {
        case .varint: .varint
        case .fixed64: .fixed64
        case .fixed32: .fixed32
        case .bytes: .lengthDelimited
        }
    }
}

/// Reads the fields of one protobuf message from a range of a byte buffer.
struct ProtoWireReader {
    /// The largest field number protobuf allows (2^29 - 1).
    static let maximumFieldNumber: UInt64 = (1 << 29) - 1

    let buffer: [UInt8]
    private(set) var position: Int
    let end: Int

    init(_ buffer: [UInt8], range: Range<Int>) {
        self.buffer = buffer
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    var isAtEnd: Bool { position >= end }

    /// The next field (number and value), or nil at the end of the message.
    mutating func nextField() throws(ProtobufDecodingError) -> (number: Int, value: ProtoWireValue)? {
        guard !isAtEnd else { return nil }
        let key = try readVarint()
        let number = key >> 3
        guard number > 0, number <= Self.maximumFieldNumber else {
            throw .malformed("protobuf: illegal field number \(number) at offset \(position)")
        }
        guard let wireType = ProtoWireType(rawValue: UInt8(key & 7)) else {
            throw .malformed("protobuf: illegal wire type \(key & 7) for field \(number)")
        }
        let value: ProtoWireValue
        switch wireType {
        case .varint: value = .varint(try readVarint())
        case .fixed64: value = .fixed64(try readFixed64())
        case .fixed32: value = .fixed32(try readFixed32())
        case .lengthDelimited: value = .bytes(try readLengthDelimited())
        case .startGroup, .endGroup:
            throw .malformed("protobuf: groups are not supported (field \(number))")
        }
        return (Int(number), value)
    }

    /// A base-128 varint of at most ten bytes. Negative int32 and int64 values arrive as ten-byte two's
    /// complement; the caller truncates.
    mutating func readVarint() throws(ProtobufDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw .malformed("protobuf: unexpected end of data in a varint") }
            let byte = buffer[position]
            position += 1
            if shift == 63 && byte >= 0x80 {
                // An eleventh byte would follow. (Like Go, the unused high bits of the tenth byte are ignored.)
                throw .malformed("protobuf: varint overflows 64 bits")
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    mutating func readFixed64() throws(ProtobufDecodingError) -> UInt64 {
        guard end - position >= 8 else { throw .malformed("protobuf: unexpected end of data in a fixed64") }
        var value: UInt64 = 0
        for i in 0..<8 { value |= UInt64(buffer[position + i]) << (8 * UInt64(i)) }
        position += 8
        return value
    }

    mutating func readFixed32() throws(ProtobufDecodingError) -> UInt32 {
        guard end - position >= 4 else { throw .malformed("protobuf: unexpected end of data in a fixed32") }
        var value: UInt32 = 0
        for i in 0..<4 { value |= UInt32(buffer[position + i]) << (8 * UInt32(i)) }
        position += 4
        return value
    }

    mutating func readLengthDelimited() throws(ProtobufDecodingError) -> Range<Int> {
        let length = try readVarint()
        guard length <= UInt64(end - position) else {
            throw .malformed("protobuf: length \(length) runs past the end of the data")
        }
        let start = position
        position += Int(length)
        return start..<position
    }
}
