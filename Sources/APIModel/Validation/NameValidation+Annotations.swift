extension NameValidation {
    /// The most bytes all of an object's annotation keys and values may take
    /// together: 256 KiB.
    public static let totalAnnotationSizeLimit = 256 * 1024

    /// Checks an annotation key: a qualified name once lowercased (annotation keys
    /// may use upper case letters in their prefix).
    public static func isValidAnnotationKey(_ key: String) -> [String] {
        isQualifiedName(key.lowercased())
    }

    /// The size Kubernetes charges a set of annotations: the UTF-8 bytes of every key
    /// and value.
    public static func annotationsSize(_ annotations: [String: String]) -> Int {
        annotations.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
    }

    /// Checks the total size of annotations against ``totalAnnotationSizeLimit``.
    /// The message is the detail of Kubernetes' "Too long" error on
    /// `metadata.annotations`: `may not be more than 262144 bytes`.
    public static func validateAnnotationsSize(_ annotations: [String: String]) -> [String] {
        guard annotationsSize(annotations) > totalAnnotationSizeLimit else { return [] }
        return ["may not be more than \(totalAnnotationSizeLimit) bytes"]
    }
}
