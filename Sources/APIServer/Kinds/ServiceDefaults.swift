import APIModel

/// Defaulting of Services and of the endpoint kinds, as Kubernetes' `SetDefaults_Service`,
/// `SetDefaults_Endpoints` and the discovery/v1 defaults, plus the IP family fields the service registry
/// fills in for every service that gets a cluster IP (Skiff is single-stack IPv4).
enum ServiceDefaults {
    static func service(_ svc: inout Service) {
        var spec = svc.spec ?? ServiceSpec()
        spec.type = spec.type ?? "ClusterIP"
        if let ip = spec.clusterIP, !ip.isEmpty, (spec.clusterIPs ?? []).isEmpty { spec.clusterIPs = [ip] }
        spec.sessionAffinity = spec.sessionAffinity ?? "None"
        if spec.sessionAffinity == "None" { spec.sessionAffinityConfig = nil }
        if spec.sessionAffinity == "ClientIP", spec.sessionAffinityConfig?.clientIP?.timeoutSeconds == nil {
            spec.sessionAffinityConfig = SessionAffinityConfig(clientIP: ClientIPConfig(timeoutSeconds: 10800))
        }
        if spec.type == "ClusterIP" || spec.type == "NodePort" || spec.type == "LoadBalancer" {
            spec.internalTrafficPolicy = spec.internalTrafficPolicy ?? "Cluster"
        }
        if spec.type == "NodePort" || spec.type == "LoadBalancer" {
            spec.externalTrafficPolicy = spec.externalTrafficPolicy ?? "Cluster"
        }
        if spec.type == "LoadBalancer" {
            spec.allocateLoadBalancerNodePorts = spec.allocateLoadBalancerNodePorts ?? true
        }
        if spec.type != "ExternalName" {
            // A headless service without selector gets every family (its endpoints are managed by hand),
            // even on a single-stack cluster, unless it asks for one; other services get the cluster's one.
            let headlessWithoutSelector = spec.clusterIP == "None" && (spec.selector ?? [:]).isEmpty
            if spec.ipFamilyPolicy == nil { spec.ipFamilyPolicy = headlessWithoutSelector ? "RequireDualStack" : "SingleStack" }
            var families = spec.ipFamilies ?? []
            if families.isEmpty { families = ["IPv4"] }
            if headlessWithoutSelector, families.count == 1, spec.ipFamilyPolicy != "SingleStack" {
                families.append(families[0] == "IPv4" ? "IPv6" : "IPv4")
            }
            spec.ipFamilies = families
        }
        spec.ports = spec.ports?.map { port in
            var port = port
            port.`protocol` = port.`protocol` ?? "TCP"
            if port.targetPort == nil || port.targetPort == .int(0) || port.targetPort == .string(""),
               let number = port.port {
                port.targetPort = .int(number)
            }
            return port
        }
        svc.spec = spec
        if svc.status == nil { svc.status = ServiceStatus(loadBalancer: LoadBalancerStatus()) }
    }

    /// On update, what the client left out but the server had set: the cluster IPs, and clusterIPs kept in
    /// step with a changed clusterIP (Kubernetes' `patchAllocatedValues` and `normalizeClusterIPs`).
    static func serviceUpdate(_ svc: inout Service, _ old: Service) {
        guard var spec = svc.spec, let oldSpec = old.spec else { return }
        let needsClusterIP = { (s: ServiceSpec) in s.type != "ExternalName" }
        if needsClusterIP(oldSpec) && needsClusterIP(spec) {
            if (spec.clusterIP ?? "").isEmpty, let ip = oldSpec.clusterIP, !ip.isEmpty { spec.clusterIP = ip }
            if (spec.clusterIPs ?? []).isEmpty, let ips = oldSpec.clusterIPs, !ips.isEmpty { spec.clusterIPs = ips }
        }
        let oldIP = oldSpec.clusterIP ?? ""
        let newIP = spec.clusterIP ?? ""
        if oldIP != newIP, spec.clusterIPs == oldSpec.clusterIPs {
            spec.clusterIPs = newIP.isEmpty ? nil : [newIP]
        }
        keepOrDropNodePorts(&spec, oldSpec)
        // Switching to ExternalName with the allocated IPs left in place drops them (`dropTypeDependentFields`).
        if needsClusterIP(oldSpec) && !needsClusterIP(spec) && spec.clusterIP == oldSpec.clusterIP
            && spec.clusterIPs == oldSpec.clusterIPs {
            spec.clusterIP = nil
            spec.clusterIPs = nil
        }
        svc.spec = spec
    }

    /// Node ports across an update, as Kubernetes: while both versions need them, a port left at 0 keeps the
    /// node port of the old port with the same port number and protocol; switching to a type without node
    /// ports drops them if they are the old values.
    private static func keepOrDropNodePorts(_ spec: inout ServiceSpec, _ oldSpec: ServiceSpec) {
        let needsNodePorts = { (s: ServiceSpec) in s.type == "NodePort" || s.type == "LoadBalancer" }
        guard var ports = spec.ports else { return }
        let oldPorts = oldSpec.ports ?? []
        if needsNodePorts(oldSpec) && needsNodePorts(spec) {
            for index in ports.indices where (ports[index].nodePort ?? 0) == 0 {
                let match = oldPorts.first {
                    $0.port == ports[index].port && ($0.protocol ?? "TCP") == (ports[index].protocol ?? "TCP")
                }
                if let nodePort = match?.nodePort, nodePort != 0 { ports[index].nodePort = nodePort }
            }
        } else if needsNodePorts(oldSpec) && !needsNodePorts(spec) {
            let oldValues = Set(oldPorts.compactMap(\.nodePort))
            if ports.allSatisfy({ ($0.nodePort ?? 0) == 0 || oldValues.contains($0.nodePort!) }) {
                for index in ports.indices { ports[index].nodePort = nil }
            }
            if spec.externalTrafficPolicy == oldSpec.externalTrafficPolicy { spec.externalTrafficPolicy = nil }
            if spec.healthCheckNodePort == oldSpec.healthCheckNodePort { spec.healthCheckNodePort = nil }
        }
        spec.ports = ports
    }

    static func endpoints(_ endpoints: inout Endpoints) {
        endpoints.subsets = endpoints.subsets?.map { subset in
            var subset = subset
            subset.ports = subset.ports?.map { port in
                var port = port
                port.`protocol` = port.`protocol` ?? "TCP"
                return port
            }
            return subset
        }
    }

    /// Ports default to TCP and to the name "".
    static func endpointSlice(_ slice: inout EndpointSlice) {
        slice.ports = slice.ports?.map { port in
            var port = port
            port.`protocol` = port.`protocol` ?? "TCP"
            port.name = port.name ?? ""
            return port
        }
    }
}
