import Foundation

/// Why the cluster PKI could not be loaded, created or used.
public enum PKIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `ca.crt` exists but `ca.key` does not. The CA is never silently replaced, because every
    /// certificate and kubeconfig already handed out trusts the existing one.
    case missingCAKey(path: String)
    /// A file that must hold a certificate or key could not be parsed.
    case unreadablePEM(path: String, reason: String)
    /// The CA private key does not belong to the CA certificate, or the CA certificate is not a CA.
    case invalidCertificateAuthority(reason: String)
    /// A subject alternative name is neither an IP address nor a valid DNS name.
    case invalidSubjectAlternativeName(String)
    /// A client certificate request was malformed (e.g. an empty common name or a non-positive validity).
    case invalidCertificateRequest(reason: String)
    /// A file system operation failed.
    case fileSystem(operation: String, path: String, reason: String)

    public var description: String {
        switch self {
        case .missingCAKey(let path):
            return "the cluster CA certificate exists but its key \(path) is missing; refusing to replace the CA"
        case .unreadablePEM(let path, let reason):
            return "cannot read PEM file \(path): \(reason)"
        case .invalidCertificateAuthority(let reason):
            return "invalid cluster CA: \(reason)"
        case .invalidSubjectAlternativeName(let name):
            return "invalid subject alternative name \"\(name)\": not an IP address or DNS name"
        case .invalidCertificateRequest(let reason):
            return "invalid certificate request: \(reason)"
        case .fileSystem(let operation, let path, let reason):
            return "\(operation) \(path) failed: \(reason)"
        }
    }
}
