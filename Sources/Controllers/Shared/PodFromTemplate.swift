import APIModel

extension KubernetesObject {
    /// The controller reference the object's dependents carry (Kubernetes' `metav1.NewControllerRef`): this kind,
    /// name and uid, `controller` and `blockOwnerDeletion` true.
    public var newControllerReference: OwnerReference {
        OwnerReference(kind: Self.groupVersionKind.kind, apiVersion: Self.groupVersionKind.apiVersion,
                       blockOwnerDeletion: true, controller: true, name: metadata?.name, uid: metadata?.uid)
    }
}

extension Pod {
    /// A new pod from `template` (Kubernetes' `GetPodFromTemplate`): the template's labels, annotations, finalizers
    /// and spec, `generateName: <owner name>-`, in the owner's namespace, controlled by `owner`.
    public static func fromTemplate<Owner: KubernetesObject>(_ template: PodTemplateSpec?, owner: Owner) -> Pod {
        let name = owner.metadata?.name ?? ""
        let meta = ObjectMeta(annotations: template?.metadata?.annotations, finalizers: template?.metadata?.finalizers,
                              generateName: "\(name)-", labels: template?.metadata?.labels,
                              namespace: owner.metadata?.namespace, ownerReferences: [owner.newControllerReference])
        return Pod(metadata: meta, spec: template?.spec)
    }
}
