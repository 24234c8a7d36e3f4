import Foundation
import APIModel

/// Defaulting, as Kubernetes' `SetDefaults_*` functions and create-time strategies do, for the fields users
/// see in `kubectl get -o yaml` and `describe`.
enum KindDefaults {
    static func namespace(_ ns: inout Namespace) {
        var status = ns.status ?? NamespaceStatus()
        if status.phase == nil {
            status.phase = "Active"
            ns.status = status
        }
        if ns.spec?.finalizers == nil { ns.spec = NamespaceSpec(finalizers: ["kubernetes"]) }
        // Kubernetes labels every namespace with its own name.
        var labels = ns.metadata?.labels ?? [:]
        if let name = ns.metadata?.name, !name.isEmpty { labels["kubernetes.io/metadata.name"] = name }
        ns.metadata?.labels = labels
    }

    static func pod(_ pod: inout Pod) {
        var spec = pod.spec ?? PodSpec()
        podSpec(&spec)
        pod.spec = spec
        var status = pod.status ?? PodStatus()
        if status.phase == nil {
            status.phase = "Pending"
            status.qosClass = status.qosClass ?? qosClass(spec)
            pod.status = status
        }
    }

    static func podSpec(_ spec: inout PodSpec) {
        spec.restartPolicy = spec.restartPolicy ?? "Always"
        spec.dnsPolicy = spec.dnsPolicy ?? "ClusterFirst"
        spec.terminationGracePeriodSeconds = spec.terminationGracePeriodSeconds ?? 30
        spec.schedulerName = spec.schedulerName ?? "default-scheduler"
        spec.securityContext = spec.securityContext ?? PodSecurityContext()
        spec.enableServiceLinks = spec.enableServiceLinks ?? true
        spec.preemptionPolicy = spec.preemptionPolicy ?? "PreemptLowerPriority"
        spec.priority = spec.priority ?? 0
        spec.serviceAccountName = spec.serviceAccountName ?? spec.serviceAccount ?? "default"
        spec.serviceAccount = spec.serviceAccountName
        spec.containers = spec.containers?.map(container)
        spec.initContainers = spec.initContainers?.map(container)
    }

    static func container(_ c: Container) -> Container {
        var c = c
        c.terminationMessagePath = c.terminationMessagePath ?? "/dev/termination-log"
        c.terminationMessagePolicy = c.terminationMessagePolicy ?? "File"
        if c.imagePullPolicy == nil, let image = c.image {
            c.imagePullPolicy = ImageReference.usesLatestTag(image) ? "Always" : "IfNotPresent"
        }
        c.ports = c.ports?.map { port in
            var port = port
            port.`protocol` = port.`protocol` ?? "TCP"
            return port
        }
        c.resources = c.resources ?? ResourceRequirements()
        return c
    }

    /// BestEffort, Burstable or Guaranteed, from the containers' requests and limits.
    static func qosClass(_ spec: PodSpec) -> String {
        let containers = (spec.containers ?? []) + (spec.initContainers ?? [])
        var anySet = false
        var guaranteed = true
        for c in containers {
            let requests = c.resources?.requests ?? [:]
            let limits = c.resources?.limits ?? [:]
            if !requests.isEmpty || !limits.isEmpty { anySet = true }
            for resource in ["cpu", "memory"] {
                guard let limit = limits[resource] else { guaranteed = false; continue }
                if let request = requests[resource], request != limit { guaranteed = false }
            }
        }
        if !anySet { return "BestEffort" }
        return guaranteed ? "Guaranteed" : "Burstable"
    }

    static func service(_ svc: inout Service) {
        var spec = svc.spec ?? ServiceSpec()
        spec.type = spec.type ?? "ClusterIP"
        if let ip = spec.clusterIP, !ip.isEmpty, (spec.clusterIPs ?? []).isEmpty { spec.clusterIPs = [ip] }
        spec.sessionAffinity = spec.sessionAffinity ?? "None"
        if spec.type == "ClusterIP" || spec.type == "NodePort" || spec.type == "LoadBalancer" {
            spec.internalTrafficPolicy = spec.internalTrafficPolicy ?? "Cluster"
        }
        if spec.type == "NodePort" || spec.type == "LoadBalancer" {
            spec.externalTrafficPolicy = spec.externalTrafficPolicy ?? "Cluster"
        }
        spec.ports = spec.ports?.map { port in
            var port = port
            port.`protocol` = port.`protocol` ?? "TCP"
            if port.targetPort == nil, let number = port.port { port.targetPort = .int(number) }
            return port
        }
        svc.spec = spec
        if svc.status == nil { svc.status = ServiceStatus(loadBalancer: LoadBalancerStatus()) }
    }

    /// Secrets default to `Opaque`; `stringData` is merged into `data` (its values win) and dropped, as
    /// Kubernetes does on write.
    static func secret(_ secret: inout Secret) {
        secret.type = secret.type ?? "Opaque"
        if let strings = secret.stringData {
            var data = secret.data ?? [:]
            for (key, value) in strings { data[key] = Data(value.utf8) }
            secret.data = data
            secret.stringData = nil
        }
    }

    static func deployment(_ d: inout Deployment) {
        var spec = d.spec ?? DeploymentSpec()
        spec.replicas = spec.replicas ?? 1
        spec.revisionHistoryLimit = spec.revisionHistoryLimit ?? 10
        spec.progressDeadlineSeconds = spec.progressDeadlineSeconds ?? 600
        var strategy = spec.strategy ?? DeploymentStrategy()
        strategy.type = strategy.type ?? "RollingUpdate"
        if strategy.type == "RollingUpdate" {
            var rolling = strategy.rollingUpdate ?? RollingUpdateDeployment()
            rolling.maxSurge = rolling.maxSurge ?? .string("25%")
            rolling.maxUnavailable = rolling.maxUnavailable ?? .string("25%")
            strategy.rollingUpdate = rolling
        }
        spec.strategy = strategy
        if var template = spec.template {
            var podSpec = template.spec ?? PodSpec()
            Self.podSpec(&podSpec)
            template.spec = podSpec
            spec.template = template
        }
        d.spec = spec
    }
}

/// Facts about container image references.
enum ImageReference {
    /// True when the reference has no tag or the tag `latest` (and no digest): Kubernetes then pulls always.
    static func usesLatestTag(_ image: String) -> Bool {
        if image.contains("@") { return false }
        let lastComponent = image.split(separator: "/").last.map(String.init) ?? image
        guard let colon = lastComponent.lastIndex(of: ":") else { return true }
        return lastComponent[lastComponent.index(after: colon)...] == "latest"
    }
}
