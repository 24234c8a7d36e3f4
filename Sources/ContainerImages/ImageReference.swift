/// An image reference, normalised as containerd and the kubelet do (docker/distribution's
/// `ParseNormalizedNamed`): `busybox` → `docker.io/library/busybox:latest`, `user/app:1` → `docker.io/user/app:1`,
/// `index.docker.io/…` → `docker.io/…`; a first component with a `.` or `:`, or `localhost`, is a registry host.
public struct ImageReference: Sendable, Hashable, CustomStringConvertible {
    /// The registry host (with port), e.g. `docker.io`, `localhost:5000`, `skiff.test`.
    public let domain: String
    /// The repository path within the registry, e.g. `library/busybox`.
    public let path: String
    /// The tag; nil only when a digest is given without one.
    public let tag: String?
    public let digest: Digest?

    /// Parses and normalises `string`; a reference with neither tag nor digest gets tag `latest`.
    public init(parsing string: String) throws {
        var rest = Substring(string)
        var digest: Digest?
        if let at = rest.firstIndex(of: "@") {
            guard let parsed = Digest(String(rest[rest.index(after: at)...])) else {
                throw ImageStoreError.invalidReference(string)
            }
            digest = parsed
            rest = rest[..<at]
        }
        var tag: String?
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            tag = String(rest[rest.index(after: colon)...])
            rest = rest[..<colon]
        }
        var components = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var domain = "docker.io"
        if components.count > 1, components[0].contains(".") || components[0].contains(":") || components[0] == "localhost" {
            domain = components.removeFirst()
        }
        if domain == "index.docker.io" { domain = "docker.io" }
        if domain == "docker.io", components.count == 1 { components.insert("library", at: 0) }
        guard !domain.isEmpty, domain.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-.:[]".contains($0)) }),
              components.allSatisfy(ImageReference.isPathComponent),
              tag.map(ImageReference.isTag) ?? true
        else { throw ImageStoreError.invalidReference(string) }
        self.domain = domain
        self.path = components.joined(separator: "/")
        self.tag = tag ?? (digest == nil ? "latest" : nil)
        self.digest = digest
    }

    /// `domain/path`, the repository name without tag or digest.
    public var name: String { "\(domain)/\(path)" }

    /// The full normalised reference: `name:tag`, `name@digest` or `name:tag@digest`.
    public var description: String {
        name + (tag.map { ":\($0)" } ?? "") + (digest.map { "@\($0)" } ?? "")
    }

    /// `name:tag`, the key an image is stored under; nil for a digest-only reference.
    public var taggedName: String? { tag.map { "\(name):\($0)" } }

    /// Lowercase letters and digits, separated by single `.`, `_`, `__` or runs of `-`.
    private static func isPathComponent(_ component: String) -> Bool {
        guard let first = component.first, let last = component.last,
              first.isLowercaseAlphanumeric, last.isLowercaseAlphanumeric
        else { return false }
        return component.allSatisfy { $0.isLowercaseAlphanumeric || "._-".contains($0) } && !component.contains("..")
    }

    /// `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
    private static func isTag(_ tag: String) -> Bool {
        guard let first = tag.first, tag.count <= 128, first != ".", first != "-" else { return false }
        return tag.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }
    }
}

private extension Character {
    var isLowercaseAlphanumeric: Bool { isASCII && (isLowercase || isNumber) }
}
