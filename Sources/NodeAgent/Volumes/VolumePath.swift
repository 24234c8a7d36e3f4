/// Validation of the relative paths a pod spec puts below a volume directory, as the kubelet's AtomicWriter
/// `validatePath` (item paths) and subPath checks.
enum VolumePath {
    static let maxPathLength = 4096
    static let maxFileNameLength = 255

    /// Throws `VolumeError.invalidPath` unless `path` is non-empty, relative, has no `..` element, and its
    /// first element does not start with `..` (the writer's own `..data` and timestamped names).
    static func validate(_ path: String) throws {
        func fail(_ reason: String) -> VolumeError { .invalidPath(path, reason: reason) }
        if path.isEmpty { throw fail("must not be empty") }
        if path.hasPrefix("/") { throw fail("must be a relative path") }
        if path.utf8.count > maxPathLength { throw fail("must be at most \(maxPathLength) characters") }
        let elements = path.split(separator: "/", omittingEmptySubsequences: false)
        for element in elements {
            if element == ".." { throw fail("must not contain '..'") }
            if element.utf8.count > maxFileNameLength {
                throw fail("each element must be at most \(maxFileNameLength) characters")
            }
        }
        if let first = elements.first, first.hasPrefix(".."), first.count > 2 { throw fail("must not start with '..'") }
    }

    /// Throws unless `name` is a single path element usable as a directory name (volume names, pod UIDs).
    static func validateName(_ name: String) throws {
        try validate(name)
        if name.contains("/") || name == "." {
            throw VolumeError.invalidPath(name, reason: "must be a single path element")
        }
    }

    /// The first element of a validated relative path.
    static func firstElement(_ path: String) -> String {
        String(path.split(separator: "/", maxSplits: 1).first ?? Substring(path))
    }
}
