/// Byte-level character classes behind the name formats. Kubernetes checks names
/// with anchored ASCII regular expressions over the UTF-8 bytes; these predicates
/// reproduce those patterns without a regex engine.
enum CharacterClasses {
    static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || isDigit(byte)
    }

    static func isLowerAlpha(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLowerAlphanumeric(byte) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`
    static func isDNS1123Label<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        guard let first = bytes.first, isLowerAlphanumeric(first) else { return false }
        var last = first
        for byte in bytes {
            guard isLowerAlphanumeric(byte) || byte == UInt8(ascii: "-") else { return false }
            last = byte
        }
        return isLowerAlphanumeric(last)
    }

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*`
    static func isDNS1123Subdomain<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            .allSatisfy { isDNS1123Label($0) }
    }

    /// `[a-z]([-a-z0-9]*[a-z0-9])?`
    static func isDNS1035Label<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        guard let first = bytes.first, isLowerAlpha(first) else { return false }
        return isDNS1123Label(bytes)
    }

    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`: the name part of a label key, and
    /// any non-empty label value.
    static func isLabelName<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        guard let first = bytes.first, isAlphanumeric(first) else { return false }
        var last = first
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                break
            default:
                guard isAlphanumeric(byte) else { return false }
            }
            last = byte
        }
        return isAlphanumeric(last)
    }
}
