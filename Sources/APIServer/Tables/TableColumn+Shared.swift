extension TableColumn {
    /// `Name`, with the full `ObjectMeta.name` documentation Kubernetes gives it.
    static let objectName = TableColumn("Name", format: "name", description: FieldDocs.objectMetaName)

    /// `Age`, with the full `ObjectMeta.creationTimestamp` documentation Kubernetes gives it.
    static let objectAge = TableColumn("Age", description: FieldDocs.objectMetaCreationTimestamp)

    /// `Containers` of a workload's pod template (`-o wide`).
    static let templateContainers = TableColumn(
        "Containers", description: "Names of each container in the template.", priority: 1)

    /// `Images` of a workload's pod template (`-o wide`).
    static let templateImages = TableColumn(
        "Images", description: "Images referenced by each container in the template.", priority: 1)
}
