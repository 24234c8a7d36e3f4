import APIModel

/// Validation of a container's `resources`, as Kubernetes' `ValidateResourceRequirements`: known resource
/// names, non-negative quantities, and requests no greater than limits.
enum ResourceValidation {
    /// Resource names Kubernetes calls standard (`IsStandardResourceName`), besides `hugepages-*`.
    static let standardNames: Set<String> = [
        "cpu", "memory", "ephemeral-storage", "storage", "pods", "services", "replicationcontrollers",
        "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims", "services.nodeports",
        "services.loadbalancers", "requests.cpu", "requests.memory", "requests.ephemeral-storage",
        "requests.storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage",
    ]

    static func requirements(_ resources: ResourceRequirements?, _ path: String) -> [FieldError] {
        let limits = resources?.limits ?? [:]
        let requests = resources?.requests ?? [:]
        var errors: [FieldError] = []
        for (name, quantity) in limits.sorted(by: { $0.key < $1.key }) {
            let p = "\(path).limits[\(name)]"
            errors += resourceName(name, p) + nonNegative(quantity, p)
        }
        for (name, quantity) in requests.sorted(by: { $0.key < $1.key }) {
            let p = "\(path).requests[\(name)]"
            errors += resourceName(name, p) + nonNegative(quantity, p)
            if let limit = limits[name], quantity.compare(to: limit) > 0 {
                errors.append(.invalid("\(path).requests", quantity.canonicalString,
                                       "must be less than or equal to \(name) limit of \(limit.canonicalString)"))
            }
        }
        return errors
    }

    private static func nonNegative(_ quantity: Quantity, _ path: String) -> [FieldError] {
        quantity.signum() < 0 ? [.invalid(path, quantity.canonicalString, "must be greater than or equal to 0")] : []
    }

    /// A container resource: a qualified name; without a `/`, one of the standard container resources.
    private static func resourceName(_ name: String, _ path: String) -> [FieldError] {
        let problems = NameValidation.isQualifiedName(name)
        if !problems.isEmpty { return problems.map { .invalid(path, name, $0) } }
        guard !name.contains("/") else { return [] }
        var errors: [FieldError] = []
        let hugePages = name.hasPrefix("hugepages-")
        if !standardNames.contains(name) && !hugePages {
            errors.append(.invalid(path, name, "must be a standard resource type or fully qualified"))
        }
        if !["cpu", "memory", "ephemeral-storage"].contains(name) && !hugePages {
            errors.append(.invalid(path, name, "must be a standard resource for containers"))
        }
        return errors
    }
}
