import Foundation
import SwiftASN1
import X509

/// The user a verified client certificate authenticates, as Kubernetes' x509 authenticator reads
/// it: the subject common name is the user name, the subject organizations are the groups.
///
/// `groups` holds only what the certificate says; adding `system:authenticated` is the
/// authenticator's job.
public struct ClientIdentity: Sendable, Hashable, CustomStringConvertible {
    /// The subject common name (the last one, if the subject has several, as Go's crypto/x509 reads it).
    public let userName: String
    /// The subject organization names, in certificate order.
    public let groups: [String]

    public init(userName: String, groups: [String]) {
        self.userName = userName
        self.groups = groups
    }

    public var description: String {
        "\(userName) \(groups)"
    }

    /// The identity a subject name encodes, or nil when it has no non-empty common name.
    init?(subject: DistinguishedName) {
        var userName: String?
        var groups: [String] = []
        for relativeName in subject {
            for attribute in relativeName {
                switch attribute.type {
                case .RDNAttributeType.commonName:
                    userName = String(attribute.value)
                case .RDNAttributeType.organizationName:
                    if let group = String(attribute.value) { groups.append(group) }
                default:
                    continue
                }
            }
        }
        guard let userName, !userName.isEmpty else { return nil }
        self.init(userName: userName, groups: groups)
    }

    /// The subject name encoding this identity: one O per group, then the CN (Go's order).
    func distinguishedName() throws -> DistinguishedName {
        try DistinguishedName {
            for group in groups {
                OrganizationName(group)
            }
            CommonName(userName)
        }
    }
}

extension CertificateAuthority {
    /// The identity `certificate` authenticates at `time`, or nil when it must not be trusted as
    /// a client certificate.
    ///
    /// Trusted means all of: issued and signed by this CA; `time` within its validity window
    /// (inclusive); not a CA certificate (so the CA certificate itself is no client identity);
    /// extendedKeyUsage absent or including clientAuth or anyExtendedKeyUsage (Go's and
    /// BoringSSL's rule); and a non-empty subject common name.
    func clientIdentity(of certificate: Certificate, at time: Date) -> ClientIdentity? {
        guard signed(certificate) else { return nil }
        guard certificate.notValidBefore <= time, time <= certificate.notValidAfter else { return nil }
        do {
            if case .isCertificateAuthority = try certificate.extensions.basicConstraints {
                return nil
            }
            if let usages = try certificate.extensions.extendedKeyUsage,
                !usages.contains(.clientAuth), !usages.contains(.any)
            {
                return nil
            }
        } catch {
            return nil
        }
        return ClientIdentity(subject: certificate.subject)
    }
}
