import APIModel

/// Every resource Skiff serves, with its kind rules. The only place that lists them.
enum BuiltinResources {
    static func all() -> [any ServedResource] {
        [
            ResourceType(KindRules<Namespace>(
                info: ResourceInfo(group: "", version: "v1", plural: "namespaces", singular: "namespace",
                                   kind: "Namespace", namespaced: false, shortNames: ["ns"], subresources: [.status],
                                   definition: "io.k8s.api.core.v1.Namespace", nameRule: .dns1123Label),
                copyStatus: { $0.status = $1.status },
                defaults: CoreDefaults.namespace,
                validate: NamespaceValidation.namespace,
                selectableFields: { ["status.phase": $0.status?.phase ?? ""] },
                table: Printers.namespace)),
            ResourceType(KindRules<Pod>(
                info: ResourceInfo(group: "", version: "v1", plural: "pods", singular: "pod", kind: "Pod",
                                   namespaced: true, shortNames: ["po"], categories: ["all"],
                                   subresources: [.status, .binding, .eviction, .log, .exec, .portforward],
                                   definition: "io.k8s.api.core.v1.Pod"),
                copyStatus: { $0.status = $1.status },
                defaults: PodDefaults.pod,
                validate: PodValidation.pod,
                warnings: PodWarnings.pod,
                selectableFields: KindFields.pod,
                table: Printers.pod,
                deletionGrace: PodDeletion.grace)),
            ResourceType(KindRules<Node>(
                info: ResourceInfo(group: "", version: "v1", plural: "nodes", singular: "node", kind: "Node",
                                   namespaced: false, shortNames: ["no"], subresources: [.status],
                                   definition: "io.k8s.api.core.v1.Node"),
                copyStatus: { $0.status = $1.status },
                defaults: CoreDefaults.node,
                validate: NodeValidation.node,
                selectableFields: { ["spec.unschedulable": String($0.spec?.unschedulable ?? false)] },
                table: Printers.node,
                createKeepsStatus: true)),
            ResourceType(KindRules<Service>(
                info: ResourceInfo(group: "", version: "v1", plural: "services", singular: "service",
                                   kind: "Service", namespaced: true, shortNames: ["svc"], categories: ["all"],
                                   subresources: [.status], definition: "io.k8s.api.core.v1.Service",
                                   nameRule: .dns1035Label),
                copyStatus: { $0.status = $1.status },
                defaults: ServiceDefaults.service,
                prepareUpdate: ServiceDefaults.serviceUpdate,
                validate: ServiceValidation.service,
                table: Printers.service)),
            ResourceType(KindRules<Endpoints>(
                info: ResourceInfo(group: "", version: "v1", plural: "endpoints", singular: "endpoints",
                                   kind: "Endpoints", namespaced: true, shortNames: ["ep"],
                                   definition: "io.k8s.api.core.v1.Endpoints", allowCreateOnUpdate: true),
                defaults: ServiceDefaults.endpoints,
                table: Printers.endpoints)),
            ResourceType(KindRules<Event>(
                info: ResourceInfo(group: "", version: "v1", plural: "events", singular: "event", kind: "Event",
                                   namespaced: true, shortNames: ["ev"], definition: "io.k8s.api.core.v1.Event",
                                   allowCreateOnUpdate: true, nameRule: .pathSegment),
                validate: EventValidation.event,
                selectableFields: KindFields.event,
                table: Printers.event)),
            ResourceType(KindRules<ConfigMap>(
                info: ResourceInfo(group: "", version: "v1", plural: "configmaps", singular: "configmap",
                                   kind: "ConfigMap", namespaced: true, shortNames: ["cm"],
                                   definition: "io.k8s.api.core.v1.ConfigMap"),
                validate: ConfigValidation.configMap,
                table: Printers.configMap)),
            ResourceType(KindRules<Secret>(
                info: ResourceInfo(group: "", version: "v1", plural: "secrets", singular: "secret", kind: "Secret",
                                   namespaced: true, definition: "io.k8s.api.core.v1.Secret"),
                defaults: CoreDefaults.secret,
                validate: ConfigValidation.secret,
                selectableFields: { ["type": $0.type ?? ""] },
                table: Printers.secret)),
            ResourceType(KindRules<ServiceAccount>(
                info: ResourceInfo(group: "", version: "v1", plural: "serviceaccounts", singular: "serviceaccount",
                                   kind: "ServiceAccount", namespaced: true, shortNames: ["sa"],
                                   definition: "io.k8s.api.core.v1.ServiceAccount"),
                table: Printers.serviceAccount)),
            ResourceType(KindRules<ReplicationController>(
                info: ResourceInfo(group: "", version: "v1", plural: "replicationcontrollers",
                                   singular: "replicationcontroller", kind: "ReplicationController", namespaced: true,
                                   shortNames: ["rc"], categories: ["all"], subresources: [.status, .scale],
                                   definition: "io.k8s.api.core.v1.ReplicationController", tracksGeneration: true),
                copyStatus: { $0.status = $1.status },
                defaults: WorkloadDefaults.replicationController,
                validate: WorkloadValidation.replicationController,
                warnings: { PodWarnings.template($0.spec?.template) },
                selectableFields: { ["status.replicas": String($0.status?.replicas ?? 0)] },
                table: Printers.replicationController,
                scale: ScaleAccess(specReplicas: { $0.spec?.replicas ?? 1 },
                                   setSpecReplicas: { $0.spec = $0.spec ?? ReplicationControllerSpec(); $0.spec?.replicas = $1 },
                                   statusReplicas: { $0.status?.replicas ?? 0 },
                                   selector: { LabelMatcher(matchingExactly: $0.spec?.selector ?? [:]).description }))),
            ResourceType(KindRules<Deployment>(
                info: ResourceInfo(group: "apps", version: "v1", plural: "deployments", singular: "deployment",
                                   kind: "Deployment", namespaced: true, shortNames: ["deploy"], categories: ["all"],
                                   subresources: [.status, .scale], definition: "io.k8s.api.apps.v1.Deployment",
                                   tracksGeneration: true),
                copyStatus: { $0.status = $1.status },
                defaults: WorkloadDefaults.deployment,
                validate: WorkloadValidation.deployment,
                warnings: { PodWarnings.template($0.spec?.template) },
                table: Printers.deployment,
                scale: ScaleAccess(specReplicas: { $0.spec?.replicas ?? 1 },
                                   setSpecReplicas: { $0.spec = $0.spec ?? DeploymentSpec(); $0.spec?.replicas = $1 },
                                   statusReplicas: { $0.status?.replicas ?? 0 },
                                   selector: { selectorString($0.spec?.selector) }))),
            ResourceType(KindRules<ReplicaSet>(
                info: ResourceInfo(group: "apps", version: "v1", plural: "replicasets", singular: "replicaset",
                                   kind: "ReplicaSet", namespaced: true, shortNames: ["rs"], categories: ["all"],
                                   subresources: [.status, .scale], definition: "io.k8s.api.apps.v1.ReplicaSet",
                                   tracksGeneration: true),
                copyStatus: { $0.status = $1.status },
                defaults: WorkloadDefaults.replicaSet,
                validate: WorkloadValidation.replicaSet,
                warnings: { PodWarnings.template($0.spec?.template) },
                selectableFields: { ["status.replicas": String($0.status?.replicas ?? 0)] },
                table: Printers.replicaSet,
                scale: ScaleAccess(specReplicas: { $0.spec?.replicas ?? 1 },
                                   setSpecReplicas: { $0.spec = $0.spec ?? ReplicaSetSpec(); $0.spec?.replicas = $1 },
                                   statusReplicas: { $0.status?.replicas ?? 0 },
                                   selector: { selectorString($0.spec?.selector) }))),
            ResourceType(KindRules<DaemonSet>(
                info: ResourceInfo(group: "apps", version: "v1", plural: "daemonsets", singular: "daemonset",
                                   kind: "DaemonSet", namespaced: true, shortNames: ["ds"], categories: ["all"],
                                   subresources: [.status], definition: "io.k8s.api.apps.v1.DaemonSet",
                                   tracksGeneration: true),
                copyStatus: { $0.status = $1.status },
                defaults: WorkloadDefaults.daemonSet,
                validate: WorkloadValidation.daemonSet,
                warnings: { PodWarnings.template($0.spec?.template) },
                table: Printers.daemonSet)),
            ResourceType(KindRules<StatefulSet>(
                info: ResourceInfo(group: "apps", version: "v1", plural: "statefulsets", singular: "statefulset",
                                   kind: "StatefulSet", namespaced: true, shortNames: ["sts"], categories: ["all"],
                                   subresources: [.status, .scale], definition: "io.k8s.api.apps.v1.StatefulSet",
                                   tracksGeneration: true, nameRule: .dns1123Label),
                copyStatus: { $0.status = $1.status },
                defaults: WorkloadDefaults.statefulSet,
                validate: WorkloadValidation.statefulSet,
                warnings: { PodWarnings.template($0.spec?.template) },
                table: Printers.statefulSet,
                scale: ScaleAccess(specReplicas: { $0.spec?.replicas ?? 1 },
                                   setSpecReplicas: { $0.spec = $0.spec ?? StatefulSetSpec(); $0.spec?.replicas = $1 },
                                   statusReplicas: { $0.status?.replicas ?? 0 },
                                   selector: { selectorString($0.spec?.selector) }))),
            ResourceType(KindRules<ControllerRevision>(
                info: ResourceInfo(group: "apps", version: "v1", plural: "controllerrevisions",
                                   singular: "controllerrevision", kind: "ControllerRevision", namespaced: true,
                                   definition: "io.k8s.api.apps.v1.ControllerRevision"),
                table: Printers.controllerRevision)),
            ResourceType(KindRules<SelfSubjectAccessReview>(
                info: {
                    var info = ResourceInfo(group: "authorization.k8s.io", version: "v1", plural: "selfsubjectaccessreviews",
                                            singular: "selfsubjectaccessreview", kind: "SelfSubjectAccessReview",
                                            namespaced: false,
                                            definition: "io.k8s.api.authorization.v1.SelfSubjectAccessReview")
                    info.createOnly = true
                    return info
                }())),
            ResourceType(KindRules<Lease>(
                info: ResourceInfo(group: "coordination.k8s.io", version: "v1", plural: "leases", singular: "lease",
                                   kind: "Lease", namespaced: true, definition: "io.k8s.api.coordination.v1.Lease"),
                table: Printers.lease)),
            ResourceType(KindRules<EndpointSlice>(
                info: ResourceInfo(group: "discovery.k8s.io", version: "v1", plural: "endpointslices",
                                   singular: "endpointslice", kind: "EndpointSlice", namespaced: true,
                                   definition: "io.k8s.api.discovery.v1.EndpointSlice"),
                defaults: ServiceDefaults.endpointSlice,
                table: Printers.endpointSlice)),
        ]
    }
}

/// The string form of a label selector (`app=web`), as `Scale.status.selector` shows it.
private func selectorString(_ selector: LabelSelector?) -> String {
    guard let selector, let matcher = try? LabelMatcher(selector) else { return "" }
    return matcher.description
}
