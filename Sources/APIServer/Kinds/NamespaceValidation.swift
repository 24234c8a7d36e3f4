import APIModel

/// Validation of Namespaces, as Kubernetes' `ValidateNamespace`: each `spec.finalizers` entry is a qualified
/// name, and without a `/` one of the standard finalizers.
enum NamespaceValidation {
    static let standardFinalizers: Set<String> = ["kubernetes", "orphan", "foregroundDeletion"]

    static func namespace(_ ns: Namespace, _ old: Namespace?) -> [FieldError] {
        var errors: [FieldError] = []
        for finalizer in ns.spec?.finalizers ?? [] {
            errors += NameValidation.isQualifiedName(finalizer).map { .invalid("spec.finalizers", finalizer, $0) }
            if !finalizer.contains("/") && !standardFinalizers.contains(finalizer) {
                errors.append(.invalid("spec.finalizers", finalizer,
                                       "name is neither a standard finalizer name nor is it fully qualified"))
            }
        }
        return errors
    }
}
