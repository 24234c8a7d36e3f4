import APIModel

/// Kind-specific validation: the required fields and invariants Kubernetes checks for each kind.
enum KindValidation {
    static func pod(_ pod: Pod, _ old: Pod?) -> [FieldError] {
        var errors = podSpec(pod.spec, path: "spec")
        if let old, let oldSpec = old.spec, let spec = pod.spec {
            errors += podSpecUpdate(spec, oldSpec)
        }
        return errors
    }

    static func podSpec(_ spec: PodSpec?, path: String) -> [FieldError] {
        var errors: [FieldError] = []
        let containers = spec?.containers ?? []
        if containers.isEmpty { errors.append(.required("\(path).containers")) }
        var names = Set<String>()
        for (i, c) in containers.enumerated() {
            let p = "\(path).containers[\(i)]"
            let name = c.name ?? ""
            if name.isEmpty {
                errors.append(.required("\(p).name"))
            } else {
                for message in NameValidation.isDNS1123Label(name) { errors.append(.invalid("\(p).name", name, message)) }
                if !names.insert(name).inserted { errors.append(FieldError(.duplicate, field: "\(p).name", value: "\"\(name)\"")) }
            }
            if (c.image ?? "").trimmingCharacters(in: .whitespaces).isEmpty { errors.append(.required("\(p).image")) }
            for (j, port) in (c.ports ?? []).enumerated() {
                let number = port.containerPort ?? 0
                if !(1...65535).contains(number) {
                    errors.append(.invalidValue("\(p).ports[\(j)].containerPort", String(number),
                                                "must be between 1 and 65535, inclusive"))
                }
                if let proto = port.`protocol`, !["TCP", "UDP", "SCTP"].contains(proto) {
                    errors.append(.notSupported("\(p).ports[\(j)].protocol", proto, supported: ["SCTP", "TCP", "UDP"]))
                }
            }
        }
        if let policy = spec?.restartPolicy, !["Always", "OnFailure", "Never"].contains(policy) {
            errors.append(.notSupported("\(path).restartPolicy", policy, supported: ["Always", "Never", "OnFailure"]))
        }
        return errors
    }

    /// Kubernetes forbids changing a pod's spec except images, activeDeadlineSeconds, tolerations (additions)
    /// and terminationGracePeriodSeconds.
    static func podSpecUpdate(_ new: PodSpec, _ old: PodSpec) -> [FieldError] {
        var a = new
        let b = old
        for i in 0..<min(a.containers?.count ?? 0, b.containers?.count ?? 0) { a.containers?[i].image = b.containers?[i].image }
        for i in 0..<min(a.initContainers?.count ?? 0, b.initContainers?.count ?? 0) { a.initContainers?[i].image = b.initContainers?[i].image }
        a.activeDeadlineSeconds = b.activeDeadlineSeconds
        a.tolerations = b.tolerations
        a.terminationGracePeriodSeconds = b.terminationGracePeriodSeconds
        // The scheduler binds by setting nodeName once.
        if b.nodeName == nil { a.nodeName = nil }
        if a != b {
            return [.forbidden("spec", "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)")]
        }
        return []
    }

    static func service(_ svc: Service, _ old: Service?) -> [FieldError] {
        var errors: [FieldError] = []
        let spec = svc.spec
        let type = spec?.type ?? "ClusterIP"
        let supported = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
        if !supported.contains(type) { errors.append(.notSupported("spec.type", type, supported: supported)) }
        let ports = spec?.ports ?? []
        if ports.isEmpty && type != "ExternalName" && spec?.clusterIP != "None" {
            errors.append(.required("spec.ports"))
        }
        var names = Set<String>()
        for (i, port) in ports.enumerated() {
            let number = port.port ?? 0
            if !(1...65535).contains(number) {
                errors.append(.invalidValue("spec.ports[\(i)].port", String(number), "must be between 1 and 65535, inclusive"))
            }
            if ports.count > 1, (port.name ?? "").isEmpty { errors.append(.required("spec.ports[\(i)].name")) }
            if let name = port.name, !name.isEmpty, !names.insert(name).inserted {
                errors.append(FieldError(.duplicate, field: "spec.ports[\(i)].name", value: "\"\(name)\""))
            }
        }
        if let old, let oldIP = old.spec?.clusterIP, !oldIP.isEmpty, let newIP = spec?.clusterIP, newIP != oldIP {
            errors.append(.invalid("spec.clusterIPs[0]", newIP, "may not change once set"))
        }
        return errors
    }

    static func deployment(_ d: Deployment, _ old: Deployment?) -> [FieldError] {
        var errors: [FieldError] = []
        guard let selector = d.spec?.selector else {
            return [.required("spec.selector")] + podSpec(d.spec?.template?.spec, path: "spec.template.spec")
        }
        if (selector.matchLabels ?? [:]).isEmpty && (selector.matchExpressions ?? []).isEmpty {
            errors.append(.invalidValue("spec.selector", "{}", "empty selector is invalid for deployment"))
        }
        let labels = d.spec?.template?.metadata?.labels ?? [:]
        if let matcher = try? LabelMatcher(selector), !matcher.matches(labels) {
            errors.append(FieldError(.invalid, field: "spec.template.metadata.labels",
                                     value: "map[string]string{" + labels.sorted { $0.key < $1.key }
                                        .map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ", ") + "}",
                                     detail: "`selector` does not match template `labels`"))
        }
        if let replicas = d.spec?.replicas, replicas < 0 {
            errors.append(.invalidValue("spec.replicas", String(replicas), "must be greater than or equal to 0"))
        }
        errors += podSpec(d.spec?.template?.spec, path: "spec.template.spec")
        if let old, let oldSelector = old.spec?.selector, oldSelector != selector {
            errors.append(FieldError(.invalid, field: "spec.selector", value: nil, detail: "field is immutable"))
        }
        return errors
    }
}

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
