import Foundation

/// Why an image store operation failed. The descriptions are meant for a person reading CLI output or a pod event.
public enum ImageStoreError: Error, Equatable, CustomStringConvertible {
    /// Content did not hash to the digest that named it. Nothing of the failed import is left in the store.
    case digestMismatch(what: String, expected: Digest, actual: Digest)
    /// Content had a different size than its descriptor declared.
    case sizeMismatch(what: String, expected: Int64, actual: Int64)
    /// The archive is neither a docker-archive nor an oci-archive, or misses a file its manifest names.
    case invalidArchive(String)
    /// A tar stream is malformed (bad checksum, truncated, bad number).
    case invalidTar(String)
    /// A layer entry would land outside the layer's root (`..`, an absolute path, or a path through a symlink).
    case unsafePath(String)
    /// A reference that does not parse (`busybox:1.36`, `docker.io/library/busybox:1.36`, `name@sha256:…`).
    case invalidReference(String)
    /// No image in the store answers to this reference.
    case notFound(String)
    /// A layer uses a compression or media type the store cannot unpack.
    case unsupported(String)
    /// A layer has whiteouts, whose overlayfs form (a 0/0 character device, a `trusted.` xattr) needs root.
    case needsRoot(String)
    /// A system call or helper process failed.
    case fileSystem(operation: String, path: String, reason: String)
    /// A registry answered a request with an error status (404 for an unknown tag or blob, say); `detail` is
    /// its error codes and messages.
    case registry(url: String, status: Int, detail: String)
    /// A registry refused the credentials, or wants credentials none were given for.
    case unauthorized(registry: String, reason: String)
    /// A registry could not be reached, or the transfer failed.
    case network(url: String, reason: String)
    /// A registry's answer is not what the distribution protocol says (a manifest that does not decode, say).
    case invalidResponse(url: String, reason: String)

    public var description: String {
        switch self {
        case let .digestMismatch(what, expected, actual):
            return "digest mismatch for \(what): expected \(expected), content hashes to \(actual)"
        case let .sizeMismatch(what, expected, actual):
            return "size mismatch for \(what): expected \(expected) bytes, got \(actual)"
        case let .invalidArchive(reason): return "invalid image archive: \(reason)"
        case let .invalidTar(reason): return "invalid tar stream: \(reason)"
        case let .unsafePath(path): return "unsafe path in layer: \(path) escapes the layer root"
        case let .invalidReference(reference): return "invalid image reference: \(reference)"
        case let .notFound(reference): return "image not found: \(reference)"
        case let .unsupported(reason): return "unsupported: \(reason)"
        case let .needsRoot(reason): return "needs root: \(reason)"
        case let .fileSystem(operation, path, reason): return "\(operation) \(path): \(reason)"
        case let .registry(url, status, detail): return "GET \(url): HTTP \(status)\(detail.isEmpty ? "" : ": \(detail)")"
        case let .unauthorized(registry, reason): return "not authorized by registry \(registry): \(reason)"
        case let .network(url, reason): return "GET \(url): \(reason)"
        case let .invalidResponse(url, reason): return "GET \(url): invalid response: \(reason)"
        }
    }

    /// The error for a failed POSIX call, read from `errno`; call it right after the failure.
    static func posix(_ operation: String, _ path: String) -> ImageStoreError {
        .fileSystem(operation: operation, path: path, reason: String(cString: strerror(errno)))
    }
}
