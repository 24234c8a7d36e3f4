import APIModel

extension TablePrinter where T == Namespace {
    /// `NAME STATUS AGE`, the status being the phase (`Active`, `Terminating`).
    static var namespaces: TablePrinter<Namespace> {
        TablePrinter(columns: [
            .objectName,
            TableColumn("Status", description: "The status of the namespace"),
            .objectAge,
        ]) { namespace, now in
            [
                CommonCells.name(namespace),
                .string(namespace.status?.phase ?? ""),
                CommonCells.age(namespace, now: now),
            ]
        }
    }
}

extension TablePrinter where T == Node {
    /// `NAME STATUS ROLES AGE VERSION`, and with `-o wide`
    /// `INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME`; see ``NodeCells``. Missing
    /// system information reads `<unknown>`.
    static var nodes: TablePrinter<Node> {
        TablePrinter(columns: [
            .objectName,
            TableColumn("Status", description: "The status of the node"),
            TableColumn("Roles", description: "The roles of the node"),
            .objectAge,
            TableColumn("Version", description: FieldDocs.nodeSystemInfoKubeletVersion),
            TableColumn("Internal-IP", description: FieldDocs.nodeStatusAddresses, priority: 1),
            TableColumn("External-IP", description: FieldDocs.nodeStatusAddresses, priority: 1),
            TableColumn("OS-Image", description: FieldDocs.nodeSystemInfoOSImage, priority: 1),
            TableColumn("Kernel-Version", description: FieldDocs.nodeSystemInfoKernelVersion, priority: 1),
            TableColumn("Container-Runtime", description: FieldDocs.nodeSystemInfoContainerRuntimeVersion,
                        priority: 1),
        ]) { node, now in
            let info = node.status?.nodeInfo
            return [
                CommonCells.name(node),
                .string(NodeCells.status(of: node)),
                .string(NodeCells.roles(of: node)),
                CommonCells.age(node, now: now),
                .string(info?.kubeletVersion ?? ""),
                .string(NodeCells.address(of: node, type: "InternalIP")),
                .string(NodeCells.address(of: node, type: "ExternalIP")),
                CommonCells.text(info?.osImage, orIfEmpty: "<unknown>"),
                CommonCells.text(info?.kernelVersion, orIfEmpty: "<unknown>"),
                CommonCells.text(info?.containerRuntimeVersion, orIfEmpty: "<unknown>"),
            ]
        }
    }
}

extension TablePrinter where T == Lease {
    /// `NAME HOLDER AGE`, the holder being `spec.holderIdentity` (empty when unheld).
    static var leases: TablePrinter<Lease> {
        TablePrinter(columns: [
            .objectName,
            TableColumn("Holder", description: FieldDocs.leaseSpecHolderIdentity),
            .objectAge,
        ]) { lease, now in
            [
                CommonCells.name(lease),
                .string(lease.spec?.holderIdentity ?? ""),
                CommonCells.age(lease, now: now),
            ]
        }
    }
}
