import Foundation

/// Writes tar streams for tests: ustar headers, with a pax (or GNU `L`) header before names over 100 bytes.
struct TarWriter {
    enum Kind: UInt8 {
        case file = 0x30, hardLink = 0x31, symbolicLink = 0x32, characterDevice = 0x33, directory = 0x35
    }

    enum LongNames { case pax, gnu }

    private(set) var data = Data()
    var longNames = LongNames.pax

    mutating func file(_ name: String, _ content: String, mode: Int = 0o644) {
        add(name, .file, mode: mode, content: Data(content.utf8))
    }

    mutating func directory(_ name: String, mode: Int = 0o755) { add(name, .directory, mode: mode) }

    mutating func symlink(_ name: String, to target: String) { add(name, .symbolicLink, mode: 0o777, link: target) }

    mutating func hardLink(_ name: String, to target: String) { add(name, .hardLink, mode: 0o644, link: target) }

    mutating func add(_ name: String, _ kind: Kind, mode: Int, content: Data = Data(), link: String = "") {
        if name.utf8.count > 100 {
            switch longNames {
            case .pax:
                let record = paxRecord("path", name)
                appendHeader("PaxHeaders/long", type: UInt8(ascii: "x"), mode: 0o644, size: record.count, link: "")
                appendContent(record)
            case .gnu:
                let bytes = Data(name.utf8) + Data([0])
                appendHeader("././@LongLink", type: UInt8(ascii: "L"), mode: 0o644, size: bytes.count, link: "")
                appendContent(bytes)
            }
        }
        appendHeader(String(name.utf8.prefix(100))!, type: kind.rawValue, mode: mode, size: content.count, link: link)
        appendContent(content)
    }

    /// The stream with its two terminating zero blocks.
    var finished: Data { data + Data(count: 1024) }

    private func paxRecord(_ key: String, _ value: String) -> Data {
        let body = " \(key)=\(value)\n"
        var length = body.utf8.count + 1
        while "\(length)".utf8.count + body.utf8.count > length { length += 1 }
        return Data("\(length)\(body)".utf8)
    }

    private mutating func appendHeader(_ name: String, type: UInt8, mode: Int, size: Int, link: String) {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ string: String, at offset: Int) {
            for (index, byte) in string.utf8.enumerated() { header[offset + index] = byte }
        }
        func octal(_ value: Int, at offset: Int, width: Int) {
            put(String(String(value, radix: 8).suffix(width - 1)).leftPadded(to: width - 1), at: offset)
        }
        put(name, at: 0)
        octal(mode, at: 100, width: 8)
        octal(0, at: 108, width: 8)
        octal(0, at: 116, width: 8)
        octal(size, at: 124, width: 12)
        octal(1_700_000_000, at: 136, width: 12)
        header[156] = type
        put(link, at: 157)
        put("ustar\u{0}00", at: 257)
        put("        ", at: 148)
        let sum = header.reduce(0) { $0 + Int($1) }
        octal(sum, at: 148, width: 7)
        data.append(contentsOf: header)
    }

    private mutating func appendContent(_ content: Data) {
        data.append(content)
        data.append(Data(count: (512 - content.count % 512) % 512))
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
