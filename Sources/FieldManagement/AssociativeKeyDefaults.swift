import APIModel

/// Default values of associative-list key fields, for items that omit them.
///
/// Kubernetes' OpenAPI gives `protocol` of `ContainerPort` and `ServicePort` the default `TCP`, and smd
/// (v4.3 on, kube-apiserver 1.29 on) identifies an item that omits a key field by the key's default, so
/// that `ports: [{containerPort: 80}]` applied twice matches the stored, defaulted
/// `{containerPort: 80, protocol: TCP}` instead of adding a second port. The schema files this project
/// generates from carry no defaults, hence this table.
enum AssociativeKeyDefaults {
    static let byItemDefinition: [String: [String: JSONValue]] = [
        "io.k8s.api.core.v1.ContainerPort": ["protocol": .string("TCP")],
        "io.k8s.api.core.v1.ServicePort": ["protocol": .string("TCP")],
    ]

    /// The key defaults of the items of a list whose items have schema `item`.
    static func defaults(forItems item: ValueSchema) -> [String: JSONValue] {
        guard case .structure(let definition) = item else { return [:] }
        return byItemDefinition[definition] ?? [:]
    }
}
