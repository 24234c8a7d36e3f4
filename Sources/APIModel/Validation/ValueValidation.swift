import Foundation

/// Kubernetes' checks of values that are not object names: port numbers and names, percentages, config keys,
/// environment variable names, IP addresses and CIDRs. Every check returns the problems found, worded as
/// `k8s.io/apimachinery/pkg/util/validation` words them in release 1.32; an empty list means valid.
public enum ValueValidation {
    /// `must be between lo and hi, inclusive`
    public static func inclusiveRange(_ lo: Int, _ hi: Int) -> String {
        "must be between \(lo) and \(hi), inclusive"
    }

    /// A port number: 1 through 65535.
    public static func isValidPortNumber(_ port: Int) -> [String] {
        (1...65535).contains(port) ? [] : [inclusiveRange(1, 65535)]
    }

    /// An IANA service name as a port name: at most 15 of `[-a-z0-9]`, at least one letter, no `--`, no `-`
    /// at either end.
    public static func isValidPortName(_ name: String) -> [String] {
        var errors: [String] = []
        let bytes = Array(name.utf8)
        if bytes.count > 15 { errors.append(ValidationMessages.maxLengthInCharacters(15)) }
        if bytes.isEmpty || !bytes.allSatisfy({ CharacterClasses.isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }) {
            errors.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
        }
        if !bytes.contains(where: CharacterClasses.isLowerAlpha) {
            errors.append("must contain at least one letter (a-z)")
        }
        if name.contains("--") { errors.append("must not contain consecutive hyphens") }
        if bytes.first == UInt8(ascii: "-") || bytes.last == UInt8(ascii: "-") {
            errors.append("must not begin or end with a hyphen")
        }
        return errors
    }

    /// A percentage string: digits then `%`.
    public static func isValidPercent(_ value: String) -> [String] {
        let bytes = Array(value.utf8)
        let valid = bytes.count >= 2 && bytes.last == UInt8(ascii: "%")
            && bytes.dropLast().allSatisfy(CharacterClasses.isDigit)
        return valid ? [] : [ValidationMessages.pattern(
            "a valid percent string must be a numeric string followed by an ending '%'",
            regex: "[0-9]+%", examples: ["1%", "93%"])]
    }

    /// The number of a valid percentage string (`"25%"` → 25).
    public static func percentValue(_ value: String) -> Int? {
        guard isValidPercent(value).isEmpty else { return nil }
        return Int(value.dropLast())
    }

    /// A ConfigMap or Secret key: at most 253 of `[-._a-zA-Z0-9]`, not `.`, `..` or starting with `..`.
    public static func isConfigMapKey(_ key: String) -> [String] {
        var errors: [String] = []
        let bytes = Array(key.utf8)
        if bytes.count > NameValidation.dns1123SubdomainMaxLength {
            errors.append(ValidationMessages.maxLengthInCharacters(NameValidation.dns1123SubdomainMaxLength))
        }
        let allowed = { (b: UInt8) in
            CharacterClasses.isAlphanumeric(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ".")
        }
        if bytes.isEmpty || !bytes.allSatisfy(allowed) {
            errors.append(ValidationMessages.pattern(
                "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                regex: "[-._a-zA-Z0-9]+", examples: ["key.name", "KEY_NAME", "key-name"]))
        }
        if key == "." {
            errors.append("must not be '.'")
        } else if key == ".." {
            errors.append("must not be '..'")
        } else if key.hasPrefix("..") {
            errors.append("must not start with '..'")
        }
        return errors
    }

    /// An environment variable name under 1.32's relaxed rule (RelaxedEnvironmentVariableValidation, on by
    /// default): printable ASCII other than `=`.
    public static func isEnvVarName(_ name: String) -> [String] {
        let valid = name.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "=") }
        return valid ? [] : ["a valid environment variable name must consist only of printable ASCII characters other than '='"]
    }

    /// An IPv4 or IPv6 address.
    public static func isValidIP(_ value: String) -> [String] {
        ipFamily(of: value) == nil ? ["must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"] : []
    }

    /// 4 or 6 for an IP address, nil for anything else.
    public static func ipFamily(of value: String) -> Int? {
        var v4 = in_addr()
        if inet_pton(AF_INET, value, &v4) == 1 { return 4 }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, value, &v6) == 1 { return 6 }
        return nil
    }

    /// The IP family (4 or 6) of a CIDR such as `10.244.0.0/24`, nil when it is not one.
    public static func cidrFamily(of value: String) -> Int? {
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let bits = Int(parts[1]), let family = ipFamily(of: String(parts[0])) else { return nil }
        return (0...(family == 4 ? 32 : 128)).contains(bits) && parts[1].allSatisfy(\.isNumber) ? family : nil
    }
}
