import APIModel

/// The `Containers` and `Images` cells of a pod template, as Kubernetes lays them out on one line.
enum ContainerCells {
    /// Two cells: every container's name, then every container's image, each joined by commas.
    static func cells(of template: PodTemplateSpec?) -> [JSONValue] {
        let containers = template?.spec?.containers ?? []
        return [
            .string(containers.map { $0.name ?? "" }.joined(separator: ",")),
            .string(containers.map { $0.image ?? "" }.joined(separator: ",")),
        ]
    }
}
