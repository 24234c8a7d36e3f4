/// Field decoding for 512-byte tar headers (ustar layout; GNU and v7 headers share the fields used here).
enum TarHeader {
    /// The entry a header describes, before pax or GNU overrides.
    static func entry(_ header: [UInt8], type: UInt8, size: Int64) throws -> TarEntry {
        let kind: TarEntry.Kind
        switch type {
        case 0, UInt8(ascii: "0"), UInt8(ascii: "7"): kind = .file
        case UInt8(ascii: "1"): kind = .hardLink
        case UInt8(ascii: "2"): kind = .symbolicLink
        case UInt8(ascii: "3"): kind = .characterDevice
        case UInt8(ascii: "4"): kind = .blockDevice
        case UInt8(ascii: "5"): kind = .directory
        case UInt8(ascii: "6"): kind = .fifo
        default: throw ImageStoreError.invalidTar("unsupported member type '\(Character(Unicode.Scalar(type)))'")
        }
        var path = string(header[0..<100])
        // POSIX ustar splits long names into prefix/name; GNU headers use those bytes for other fields.
        if header[257..<263].elementsEqual("ustar\0".utf8) {
            let prefix = string(header[345..<500])
            if !prefix.isEmpty { path = prefix + "/" + path }
        }
        // Old tars mark directories only by a trailing slash.
        let isDirectory = kind == .directory || (kind == .file && type == 0 && path.hasSuffix("/"))
        return TarEntry(
            path: path,
            kind: isDirectory ? .directory : kind,
            mode: UInt32(truncatingIfNeeded: try number(header, 100, 8)) & 0o7777,
            uid: Int(try number(header, 108, 8)),
            gid: Int(try number(header, 116, 8)),
            size: size,
            modificationTime: try number(header, 136, 12),
            linkTarget: string(header[157..<257]),
            deviceMajor: UInt32(truncatingIfNeeded: try number(header, 329, 8)),
            deviceMinor: UInt32(truncatingIfNeeded: try number(header, 337, 8)),
            extendedAttributes: [:])
    }

    /// A numeric field: octal ASCII (space or NUL terminated), or GNU base-256 when the high bit is set.
    static func number(_ header: [UInt8], _ offset: Int, _ length: Int) throws -> Int64 {
        let field = header[offset..<offset + length]
        if let first = field.first, first & 0x80 != 0 {
            guard first & 0x40 == 0 else { throw ImageStoreError.invalidTar("negative number in header") }
            var value: Int64 = Int64(first & 0x3f)
            for byte in field.dropFirst() {
                guard value < Int64.max >> 8 else { throw ImageStoreError.invalidTar("number out of range") }
                value = value << 8 | Int64(byte)
            }
            return value
        }
        var value: Int64 = 0
        for byte in field.drop(while: { $0 == 0x20 }) {
            if byte == 0 || byte == 0x20 { break }
            guard (0x30...0x37).contains(byte), value < Int64.max >> 3 else {
                throw ImageStoreError.invalidTar("bad octal number in header at offset \(offset)")
            }
            value = value << 3 | Int64(byte - 0x30)
        }
        return value
    }

    /// Checks the header checksum (the sum of all bytes with the checksum field read as spaces).
    static func verifyChecksum(_ header: [UInt8]) throws {
        let stored = try number(header, 148, 8)
        var unsigned: Int64 = 0
        var signed: Int64 = 0  // Some old tars summed signed bytes.
        for (index, byte) in header.enumerated() {
            let value = (148..<156).contains(index) ? 0x20 : byte
            unsigned += Int64(value)
            signed += Int64(Int8(bitPattern: value))
        }
        guard stored == unsigned || stored == signed else { throw ImageStoreError.invalidTar("header checksum mismatch") }
    }

    /// A NUL-terminated string field (UTF-8; invalid bytes are repaired).
    static func string<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }
}

/// The fields a pax extended header (`x`) or GNU long name header (`L`, `K`) sets for the next member.
struct PaxRecords {
    var path: String?
    var linkPath: String?
    var size: Int64?
    var uid: Int?
    var gid: Int?
    var modificationTime: Int64?
    var extendedAttributes: [String: [UInt8]] = [:]

    init() {}

    /// Parses `<length> <key>=<value>\n` records.
    init(parsing bytes: [UInt8]) throws {
        var index = 0
        while index < bytes.count {
            guard let space = bytes[index...].firstIndex(of: 0x20),
                  let length = Int(String(decoding: bytes[index..<space], as: UTF8.self)),
                  length > space - index, index + length <= bytes.count, bytes[index + length - 1] == 0x0a,
                  let equals = bytes[(space + 1)..<(index + length)].firstIndex(of: UInt8(ascii: "="))
            else {
                if bytes[index...].allSatisfy({ $0 == 0 }) { break }
                throw ImageStoreError.invalidTar("malformed pax record")
            }
            let key = String(decoding: bytes[(space + 1)..<equals], as: UTF8.self)
            let value = Array(bytes[(equals + 1)..<(index + length - 1)])
            try set(key, value)
            index += length
        }
    }

    private mutating func set(_ key: String, _ value: [UInt8]) throws {
        let text = String(decoding: value, as: UTF8.self)
        switch key {
        case "path": path = text
        case "linkpath": linkPath = text
        case "size":
            guard let number = Int64(text), number >= 0 else { throw ImageStoreError.invalidTar("bad pax size \(text)") }
            size = number
        case "uid": uid = Int(text)
        case "gid": gid = Int(text)
        case "mtime": modificationTime = Int64(text.prefix { $0 != "." })
        default:
            if key.hasPrefix("SCHILY.xattr.") { extendedAttributes[String(key.dropFirst("SCHILY.xattr.".count))] = value }
        }
    }

    /// Later records win, as when a tar has both GNU and pax headers before one member.
    mutating func merge(_ other: PaxRecords) {
        path = other.path ?? path
        linkPath = other.linkPath ?? linkPath
        size = other.size ?? size
        uid = other.uid ?? uid
        gid = other.gid ?? gid
        modificationTime = other.modificationTime ?? modificationTime
        extendedAttributes.merge(other.extendedAttributes) { $1 }
    }

    func apply(to entry: inout TarEntry) {
        if let path { entry.path = path }
        if let linkPath { entry.linkTarget = linkPath }
        if let size { entry.size = size }
        if let uid { entry.uid = uid }
        if let gid { entry.gid = gid }
        if let modificationTime { entry.modificationTime = modificationTime }
        entry.extendedAttributes.merge(extendedAttributes) { $1 }
    }
}
