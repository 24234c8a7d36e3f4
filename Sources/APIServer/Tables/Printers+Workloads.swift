import APIModel

// An absent `spec.replicas` reads as 1, the value Kubernetes defaults it to before any printer sees it.

extension TablePrinter where T == Deployment {
    /// `NAME READY UP-TO-DATE AVAILABLE AGE`, and with `-o wide` `CONTAINERS IMAGES SELECTOR`. Ready is
    /// `ready/desired`.
    static var deployments: TablePrinter<Deployment> {
        TablePrinter(columns: [
            .objectName,
            TableColumn("Ready", description: "Number of the pod with ready state"),
            TableColumn("Up-to-date", description: FieldDocs.deploymentStatusUpdatedReplicas),
            TableColumn("Available", description: FieldDocs.deploymentStatusAvailableReplicas),
            .objectAge,
            .templateContainers,
            .templateImages,
            TableColumn("Selector", description: FieldDocs.deploymentSpecSelector, priority: 1),
        ]) { deployment, now in
            let ready = deployment.status?.readyReplicas ?? 0
            let desired = deployment.spec?.replicas ?? 1
            return [
                CommonCells.name(deployment),
                .string("\(ready)/\(desired)"),
                CommonCells.count(deployment.status?.updatedReplicas),
                CommonCells.count(deployment.status?.availableReplicas),
                CommonCells.age(deployment, now: now),
            ] + ContainerCells.cells(of: deployment.spec?.template) + [
                .string(SelectorText.deploymentSelector(deployment.spec?.selector)),
            ]
        }
    }
}

extension TablePrinter where T == ReplicaSet {
    /// `NAME DESIRED CURRENT READY AGE`, and with `-o wide` `CONTAINERS IMAGES SELECTOR`.
    static var replicaSets: TablePrinter<ReplicaSet> {
        TablePrinter(columns: [
            .objectName,
            TableColumn("Desired", type: "integer", description: FieldDocs.replicaSetSpecReplicas),
            TableColumn("Current", type: "integer", description: FieldDocs.replicaSetStatusReplicas),
            TableColumn("Ready", type: "integer", description: FieldDocs.replicaSetStatusReadyReplicas),
            .objectAge,
            .templateContainers,
            .templateImages,
            TableColumn("Selector", description: FieldDocs.replicaSetSpecSelector, priority: 1),
        ]) { replicaSet, now in
            [
                CommonCells.name(replicaSet),
                CommonCells.count(replicaSet.spec?.replicas ?? 1),
                CommonCells.count(replicaSet.status?.replicas),
                CommonCells.count(replicaSet.status?.readyReplicas),
                CommonCells.age(replicaSet, now: now),
            ] + ContainerCells.cells(of: replicaSet.spec?.template) + [
                .string(SelectorText.selector(replicaSet.spec?.selector)),
            ]
        }
    }
}

extension TablePrinter where T == ReplicationController {
    /// `NAME DESIRED CURRENT READY AGE`, and with `-o wide` `CONTAINERS IMAGES SELECTOR` (the selector as
    /// `key=value` pairs).
    static var replicationControllers: TablePrinter<ReplicationController> {
        TablePrinter(columns: [
            .objectName,
            TableColumn("Desired", type: "integer", description: FieldDocs.replicationControllerSpecReplicas),
            TableColumn("Current", type: "integer", description: FieldDocs.replicationControllerStatusReplicas),
            TableColumn("Ready", type: "integer", description: FieldDocs.replicationControllerStatusReadyReplicas),
            .objectAge,
            .templateContainers,
            .templateImages,
            TableColumn("Selector", description: FieldDocs.replicationControllerSpecSelector, priority: 1),
        ]) { controller, now in
            [
                CommonCells.name(controller),
                CommonCells.count(controller.spec?.replicas ?? 1),
                CommonCells.count(controller.status?.replicas),
                CommonCells.count(controller.status?.readyReplicas),
                CommonCells.age(controller, now: now),
            ] + ContainerCells.cells(of: controller.spec?.template) + [
                .string(SelectorText.labels(controller.spec?.selector)),
            ]
        }
    }
}

extension TablePrinter where T == DaemonSet {
    /// `NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE`, and with `-o wide`
    /// `CONTAINERS IMAGES SELECTOR`.
    static var daemonSets: TablePrinter<DaemonSet> {
        TablePrinter(columns: [
            .objectName,
            TableColumn("Desired", type: "integer", description: FieldDocs.daemonSetStatusDesiredNumberScheduled),
            TableColumn("Current", type: "integer", description: FieldDocs.daemonSetStatusCurrentNumberScheduled),
            TableColumn("Ready", type: "integer", description: FieldDocs.daemonSetStatusNumberReady),
            TableColumn("Up-to-date", type: "integer", description: FieldDocs.daemonSetStatusUpdatedNumberScheduled),
            TableColumn("Available", type: "integer", description: FieldDocs.daemonSetStatusNumberAvailable),
            TableColumn("Node Selector", description: FieldDocs.podSpecNodeSelector),
            .objectAge,
            .templateContainers,
            .templateImages,
            TableColumn("Selector", description: FieldDocs.daemonSetSpecSelector, priority: 1),
        ]) { daemonSet, now in
            let status = daemonSet.status
            return [
                CommonCells.name(daemonSet),
                CommonCells.count(status?.desiredNumberScheduled),
                CommonCells.count(status?.currentNumberScheduled),
                CommonCells.count(status?.numberReady),
                CommonCells.count(status?.updatedNumberScheduled),
                CommonCells.count(status?.numberAvailable),
                .string(SelectorText.labels(daemonSet.spec?.template?.spec?.nodeSelector)),
                CommonCells.age(daemonSet, now: now),
            ] + ContainerCells.cells(of: daemonSet.spec?.template) + [
                .string(SelectorText.selector(daemonSet.spec?.selector)),
            ]
        }
    }
}

extension TablePrinter where T == StatefulSet {
    /// `NAME READY AGE`, and with `-o wide` `CONTAINERS IMAGES`. Ready is `ready/desired`.
    static var statefulSets: TablePrinter<StatefulSet> {
        TablePrinter(columns: [
            .objectName,
            TableColumn("Ready", description: "Number of the pod with ready state"),
            .objectAge,
            .templateContainers,
            .templateImages,
        ]) { statefulSet, now in
            let ready = statefulSet.status?.readyReplicas ?? 0
            let desired = statefulSet.spec?.replicas ?? 1
            return [
                CommonCells.name(statefulSet),
                .string("\(ready)/\(desired)"),
                CommonCells.age(statefulSet, now: now),
            ] + ContainerCells.cells(of: statefulSet.spec?.template)
        }
    }
}

extension TablePrinter where T == ControllerRevision {
    /// `NAME CONTROLLER REVISION AGE`. The controller is `kind.group/name` of the controlling owner
    /// (`daemonset.apps/fluentd`), `<none>` without one.
    static var controllerRevisions: TablePrinter<ControllerRevision> {
        TablePrinter(columns: [
            .objectName,
            TableColumn("Controller", description: "Controller of the object"),
            TableColumn("Revision", description: FieldDocs.controllerRevisionRevision),
            .objectAge,
        ]) { revision, now in
            [
                CommonCells.name(revision),
                .string(controller(of: revision)),
                .int(revision.revision ?? 0),
                CommonCells.age(revision, now: now),
            ]
        }
    }

    /// The first owner reference marked as controller, as `kind.group/name` in lower case kind (the group is
    /// left out for the core group), or `<none>`.
    private static func controller(of revision: ControllerRevision) -> String {
        guard let owner = revision.metadata?.ownerReferences?.first(where: { $0.controller == true }) else {
            return "<none>"
        }
        let name = owner.name ?? ""
        let kind = owner.kind ?? ""
        let apiVersion = owner.apiVersion ?? ""
        let group = apiVersion.firstIndex(of: "/").map { String(apiVersion[..<$0]) } ?? ""
        if kind.isEmpty, group.isEmpty { return name }
        let groupKind = group.isEmpty ? kind : "\(kind).\(group)"
        return groupKind.lowercased() + "/" + name
    }
}
