import Foundation

extension DiscoveryDocuments {
    /// The `storageVersionHash` of a resource, computed as Kubernetes does: the first 8 bytes of the SHA-256
    /// of `group/version/kind` (of the storage version), base64-encoded. Pods give `xPOwRZ+Yhw8=`, as on a
    /// real cluster.
    static func storageVersionHash(group: String, version: String, kind: String) -> String {
        let digest = DocumentDigest.sha256("\(group)/\(version)/\(kind)".utf8)
        return Data(digest.prefix(8)).base64EncodedString()
    }
}
