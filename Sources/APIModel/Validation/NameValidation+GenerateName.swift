extension NameValidation {
    /// Checks an object name that must be a DNS subdomain. With `prefix` true the
    /// value is a `generateName` prefix, to which a random suffix will be appended,
    /// so a trailing `-` is allowed (Kubernetes' `NameIsDNSSubdomain`).
    public static func nameIsDNSSubdomain(_ name: String, prefix: Bool) -> [String] {
        isDNS1123Subdomain(prefix ? maskingTrailingDash(name) : name)
    }

    /// Checks an object name that must be a DNS (RFC 1123) label, such as a
    /// namespace's; see ``nameIsDNSSubdomain(_:prefix:)`` for `prefix`.
    public static func nameIsDNSLabel(_ name: String, prefix: Bool) -> [String] {
        isDNS1123Label(prefix ? maskingTrailingDash(name) : name)
    }

    /// Checks an object name that must be a DNS (RFC 1035) label, such as a
    /// service's; see ``nameIsDNSSubdomain(_:prefix:)`` for `prefix`.
    public static func nameIsDNS1035Label(_ name: String, prefix: Bool) -> [String] {
        isDNS1035Label(prefix ? maskingTrailingDash(name) : name)
    }

    /// Kubernetes' `maskTrailingDash`: for a prefix longer than one byte that ends in
    /// `-`, the last two bytes are replaced by a single `a` (sic: this shortens the
    /// value by one, which Kubernetes does too).
    static func maskingTrailingDash(_ name: String) -> String {
        let bytes = Array(name.utf8)
        guard bytes.count > 1, bytes.last == UInt8(ascii: "-") else { return name }
        return String(decoding: bytes.dropLast(2) + [UInt8(ascii: "a")], as: UTF8.self)
    }
}
