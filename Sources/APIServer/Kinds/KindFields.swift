import APIModel

/// Field-selector values of kinds with more than the metadata fields.
enum KindFields {
    static func pod(_ pod: Pod) -> [String: String] {
        [
            "spec.nodeName": pod.spec?.nodeName ?? "",
            "spec.restartPolicy": pod.spec?.restartPolicy ?? "",
            "spec.schedulerName": pod.spec?.schedulerName ?? "",
            "spec.serviceAccountName": pod.spec?.serviceAccountName ?? "",
            "spec.hostNetwork": String(pod.spec?.hostNetwork ?? false),
            "status.phase": pod.status?.phase ?? "",
            "status.podIP": pod.status?.podIP ?? "",
            "status.nominatedNodeName": pod.status?.nominatedNodeName ?? "",
        ]
    }

    static func event(_ event: Event) -> [String: String] {
        let ref = event.involvedObject
        return [
            "involvedObject.kind": ref?.kind ?? "",
            "involvedObject.namespace": ref?.namespace ?? "",
            "involvedObject.name": ref?.name ?? "",
            "involvedObject.uid": ref?.uid ?? "",
            "involvedObject.apiVersion": ref?.apiVersion ?? "",
            "involvedObject.resourceVersion": ref?.resourceVersion ?? "",
            "involvedObject.fieldPath": ref?.fieldPath ?? "",
            "reason": event.reason ?? "",
            "reportingComponent": event.reportingComponent ?? "",
            "source": event.source?.component ?? "",
            "type": event.type ?? "",
        ]
    }
}
