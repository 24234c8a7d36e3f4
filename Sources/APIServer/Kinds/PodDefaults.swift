import APIModel

/// Pod defaulting, as Kubernetes' `SetDefaults_Pod`, `SetDefaults_PodSpec` and the defaulters of the types
/// inside a pod spec (containers, probes, volumes, field references) do it, plus the ServiceAccount admission
/// default. `podSpec` is also what every workload's pod template gets.
enum PodDefaults {
    /// A pod: its spec, the pod-only defaults (requests from limits, the default tolerations), and the
    /// initial status.
    static func pod(_ pod: inout Pod) {
        var spec = pod.spec ?? PodSpec()
        podSpec(&spec)
        spec.containers = spec.containers?.map(requestsFromLimits)
        spec.initContainers = spec.initContainers?.map(requestsFromLimits)
        spec.enableServiceLinks = spec.enableServiceLinks ?? true
        if spec.hostNetwork == true {
            spec.containers = spec.containers?.map(hostPortsFromContainerPorts)
            spec.initContainers = spec.initContainers?.map(hostPortsFromContainerPorts)
        }
        // The Priority and ServiceAccount admission plugins.
        spec.preemptionPolicy = spec.preemptionPolicy ?? "PreemptLowerPriority"
        spec.priority = spec.priority ?? 0
        spec.serviceAccountName = spec.serviceAccountName ?? spec.serviceAccount ?? "default"
        spec.serviceAccount = spec.serviceAccountName
        DefaultTolerationSeconds.add(to: &spec)
        pod.spec = spec
        var status = pod.status ?? PodStatus()
        if status.phase == nil {
            status.phase = "Pending"
            status.qosClass = status.qosClass ?? PodQOS.qosClass(spec)
            pod.status = status
        }
    }

    /// The defaults of a pod spec, in a pod or a pod template (`SetDefaults_PodSpec` and the defaulters of
    /// the types inside it; what only pods get is in `pod`).
    static func podSpec(_ spec: inout PodSpec) {
        spec.restartPolicy = spec.restartPolicy ?? "Always"
        spec.dnsPolicy = spec.dnsPolicy ?? "ClusterFirst"
        spec.terminationGracePeriodSeconds = spec.terminationGracePeriodSeconds ?? 30
        spec.schedulerName = spec.schedulerName ?? "default-scheduler"
        spec.securityContext = spec.securityContext ?? PodSecurityContext()
        spec.containers = spec.containers?.map(container)
        spec.initContainers = spec.initContainers?.map(container)
        spec.volumes = spec.volumes?.map(volume)
    }

    static func container(_ c: Container) -> Container {
        var c = c
        c.terminationMessagePath = c.terminationMessagePath ?? "/dev/termination-log"
        c.terminationMessagePolicy = c.terminationMessagePolicy ?? "File"
        if c.imagePullPolicy == nil {
            // Kubernetes cannot parse an empty image, finds no tag, and does not pull always.
            let image = c.image ?? ""
            c.imagePullPolicy = !image.isEmpty && ImageReference.usesLatestTag(image) ? "Always" : "IfNotPresent"
        }
        c.ports = c.ports?.map { port in
            var port = port
            port.`protocol` = port.`protocol` ?? "TCP"
            return port
        }
        c.env = c.env?.map { variable in
            var variable = variable
            if var fieldRef = variable.valueFrom?.fieldRef, fieldRef.apiVersion == nil {
                fieldRef.apiVersion = "v1"
                variable.valueFrom?.fieldRef = fieldRef
            }
            return variable
        }
        var resources = c.resources ?? ResourceRequirements()
        resources.limits = resources.limits.map(roundedToMillis)
        resources.requests = resources.requests.map(roundedToMillis)
        c.resources = resources
        c.livenessProbe = c.livenessProbe.map(probe)
        c.readinessProbe = c.readinessProbe.map(probe)
        c.startupProbe = c.startupProbe.map(probe)
        if var lifecycle = c.lifecycle {
            let postStart = lifecycle.postStart?.httpGet.map(httpGet)
            let preStop = lifecycle.preStop?.httpGet.map(httpGet)
            if postStart != nil { lifecycle.postStart?.httpGet = postStart }
            if preStop != nil { lifecycle.preStop?.httpGet = preStop }
            c.lifecycle = lifecycle
        }
        return c
    }

    /// Quantities finer than a thousandth are rounded up to one (`SetDefaults_ResourceList`).
    static func roundedToMillis(_ list: [String: Quantity]) -> [String: Quantity] {
        list.mapValues { $0.roundedUp(toScale: -3).quantity }
    }

    /// Probe timings (1 s timeout, every 10 s, 1 success, 3 failures) and the HTTP action's path and scheme.
    static func probe(_ p: Probe) -> Probe {
        var p = p
        if (p.timeoutSeconds ?? 0) == 0 { p.timeoutSeconds = 1 }
        if (p.periodSeconds ?? 0) == 0 { p.periodSeconds = 10 }
        if (p.successThreshold ?? 0) == 0 { p.successThreshold = 1 }
        if (p.failureThreshold ?? 0) == 0 { p.failureThreshold = 3 }
        p.httpGet = p.httpGet.map(httpGet)
        return p
    }

    static func httpGet(_ action: HTTPGetAction) -> HTTPGetAction {
        var action = action
        if (action.path ?? "").isEmpty { action.path = "/" }
        if (action.scheme ?? "").isEmpty { action.scheme = "HTTP" }
        return action
    }

    /// A volume without a source is an emptyDir; file modes default to 0644 (420); hostPath type to "".
    static func volume(_ v: Volume) -> Volume {
        var v = v
        if VolumeSources.present(in: v).isEmpty { v.emptyDir = EmptyDirVolumeSource() }
        if v.configMap != nil, v.configMap?.defaultMode == nil { v.configMap?.defaultMode = 420 }
        if v.secret != nil, v.secret?.defaultMode == nil { v.secret?.defaultMode = 420 }
        if v.downwardAPI != nil, v.downwardAPI?.defaultMode == nil { v.downwardAPI?.defaultMode = 420 }
        if v.projected != nil, v.projected?.defaultMode == nil { v.projected?.defaultMode = 420 }
        if v.hostPath != nil, v.hostPath?.type == nil { v.hostPath?.type = "" }
        let downwardItems = v.downwardAPI?.items?.map { item in
            var item = item
            if item.fieldRef != nil, item.fieldRef?.apiVersion == nil { item.fieldRef?.apiVersion = "v1" }
            return item
        }
        if let downwardItems { v.downwardAPI?.items = downwardItems }
        let projectedSources = v.projected?.sources?.map { source in
            var source = source
            if source.serviceAccountToken != nil, source.serviceAccountToken?.expirationSeconds == nil {
                source.serviceAccountToken?.expirationSeconds = 3600
            }
            return source
        }
        if let projectedSources { v.projected?.sources = projectedSources }
        return v
    }

    /// With the host's network, a container port is also a host port.
    static func hostPortsFromContainerPorts(_ c: Container) -> Container {
        var c = c
        c.ports = c.ports?.map { port in
            var port = port
            if (port.hostPort ?? 0) == 0 { port.hostPort = port.containerPort }
            return port
        }
        return c
    }

    /// In a pod (not a template), a container's requests default to its limits, resource by resource.
    static func requestsFromLimits(_ c: Container) -> Container {
        guard let limits = c.resources?.limits else { return c }
        var c = c
        var requests = c.resources?.requests ?? [:]
        for (name, limit) in limits where requests[name] == nil { requests[name] = limit }
        c.resources?.requests = requests
        return c
    }
}
