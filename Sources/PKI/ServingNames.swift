import Foundation
import SwiftASN1
import X509

/// The DNS names and IP addresses the API server's serving certificate must be valid for.
///
/// Always contains the in-cluster names of the `kubernetes` service, `localhost`, the loopback
/// addresses and the default service IP `10.43.0.1`, plus the host name and any extra names.
/// DNS names are compared case-insensitively (stored lowercased, without a trailing dot); IP
/// addresses are compared by their bytes, so `::1` and `0:0:0:0:0:0:0:1` are the same name.
struct ServingNames: Sendable, Equatable {
    /// DNS names every serving certificate carries.
    static let defaultDNSNames = [
        "localhost",
        "kubernetes",
        "kubernetes.default",
        "kubernetes.default.svc",
        "kubernetes.default.svc.cluster.local",
    ]

    /// IP addresses every serving certificate carries: loopback and the first service IP.
    static let defaultIPAddresses = ["127.0.0.1", "::1", "10.43.0.1"]

    /// Lowercased DNS names in insertion order, without duplicates.
    private(set) var dnsNames: [String] = []
    /// Raw IP address bytes in insertion order, without duplicates.
    private(set) var ipAddresses: [[UInt8]] = []

    /// The default names plus `hostname` and `extraSANs`.
    ///
    /// Each of `hostname` and `extraSANs` may be a DNS name or an IP literal (IPv6 optionally in
    /// brackets). Empty strings and unspecified addresses (`0.0.0.0`, `::`, as given for a wildcard
    /// bind address) are skipped, since no client can connect to them.
    /// - Throws: `PKIError.invalidSubjectAlternativeName` for a string that is neither.
    init(hostname: String, extraSANs: [String]) throws {
        for name in Self.defaultDNSNames + [hostname] + Self.defaultIPAddresses + extraSANs {
            try insert(name)
        }
    }

    /// Adds one DNS name or IP literal; see `init(hostname:extraSANs:)`.
    mutating func insert(_ name: String) throws {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return }
        if let bytes = IPAddress.parse(trimmed) {
            if bytes.allSatisfy({ $0 == 0 }) { return }
            if !ipAddresses.contains(bytes) { ipAddresses.append(bytes) }
            return
        }
        guard let dnsName = Self.normalizedDNSName(trimmed) else {
            throw PKIError.invalidSubjectAlternativeName(name)
        }
        if !dnsNames.contains(dnsName) { dnsNames.append(dnsName) }
    }

    /// The names as X.509 general names: DNS names first, then IP addresses.
    var generalNames: [GeneralName] {
        dnsNames.map { .dnsName($0) } + ipAddresses.map { .ipAddress(ASN1OctetString(contentBytes: $0[...])) }
    }

    /// The names as text, DNS names first, then IP addresses.
    var descriptions: [String] {
        dnsNames + ipAddresses.map(IPAddress.format)
    }

    /// Whether every name in this set appears in the subject alternative names of `certificate`.
    func isCovered(by certificate: Certificate) -> Bool {
        guard let present = Self.names(in: certificate) else { return false }
        return dnsNames.allSatisfy(present.dnsNames.contains) && ipAddresses.allSatisfy(present.ipAddresses.contains)
    }

    /// The DNS names and IP addresses in the subject alternative names of `certificate`, or nil
    /// when it has none or the extension cannot be parsed.
    static func names(in certificate: Certificate) -> ServingNames? {
        guard let sans = try? certificate.extensions.subjectAlternativeNames else { return nil }
        var result = ServingNames()
        for name in sans {
            switch name {
            case .dnsName(let dnsName):
                if let normalized = normalizedDNSName(dnsName), !result.dnsNames.contains(normalized) {
                    result.dnsNames.append(normalized)
                }
            case .ipAddress(let octets):
                let bytes = Array(octets.bytes)
                if !result.ipAddresses.contains(bytes) { result.ipAddresses.append(bytes) }
            default:
                continue
            }
        }
        return result
    }

    /// An empty set; only for collecting the names found in a certificate.
    private init() {}

    /// `name` lowercased and without a trailing dot if it is a valid DNS name (letters, digits,
    /// `-` and `_` in non-empty labels of at most 63 bytes; `*` only as a whole leftmost label);
    /// otherwise nil.
    static func normalizedDNSName(_ name: String) -> String? {
        var lowered = name.lowercased()
        if lowered.hasSuffix(".") { lowered.removeLast() }
        guard !lowered.isEmpty, lowered.utf8.count <= 253 else { return nil }
        let labels = lowered.split(separator: ".", omittingEmptySubsequences: false)
        for (index, label) in labels.enumerated() {
            guard !label.isEmpty, label.utf8.count <= 63 else { return nil }
            if label == "*" {
                guard index == 0, labels.count > 1 else { return nil }
                continue
            }
            let valid = label.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
            }
            guard valid else { return nil }
        }
        return lowered
    }
}
