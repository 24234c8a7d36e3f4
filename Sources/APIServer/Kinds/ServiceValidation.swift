import APIModel

/// Validation of Services, as Kubernetes' `ValidateService` and `ValidateServiceUpdate`.
enum ServiceValidation {
    static let types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]

    static func service(_ svc: Service, _ old: Service?) -> [FieldError] {
        let spec = svc.spec ?? ServiceSpec()
        var errors: [FieldError] = []
        if let old { errors += clusterIPsUpdate(spec, old.spec ?? ServiceSpec()) }
        let type = spec.type ?? ""
        let headless = spec.clusterIP == "None"
        let ports = spec.ports ?? []
        if ports.isEmpty && !headless && type != "ExternalName" { errors.append(.required("spec.ports")) }
        switch type {
        case "LoadBalancer", "NodePort":
            if type == "LoadBalancer" {
                for (i, port) in ports.enumerated() where port.port == 10250 {
                    errors.append(.invalidValue("spec.ports[\(i)]", "10250",
                                                "may not expose port 10250 externally since it is used by kubelet"))
                }
            }
            if headless {
                errors.append(.invalid("spec.clusterIPs[0]", "None", "may not be set to 'None' for \(type) services"))
            }
        case "ExternalName":
            if !(spec.clusterIPs ?? []).isEmpty {
                errors.append(.forbidden("spec.clusterIPs", "may not be set for ExternalName services"))
            }
            if !(spec.ipFamilies ?? []).isEmpty {
                errors.append(.forbidden("spec.ipFamilies", "may not be set for ExternalName services"))
            }
            if spec.ipFamilyPolicy != nil {
                errors.append(.forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services"))
            }
            var cname = spec.externalName ?? ""
            if cname.hasSuffix(".") { cname.removeLast() }
            if cname.isEmpty {
                errors.append(.required("spec.externalName"))
            } else {
                errors += NameValidation.isDNS1123Subdomain(cname).map { .invalid("spec.externalName", cname, $0) }
            }
        default:
            break
        }
        var names = Set<String>()
        for (i, port) in ports.enumerated() {
            errors += self.port(port, requireName: ports.count > 1, names: &names, "spec.ports[\(i)]")
        }
        if spec.selector != nil { errors += FieldChecks.labels(spec.selector, "spec.selector") }
        errors += FieldChecks.oneOf(spec.sessionAffinity, ["ClientIP", "None"], "spec.sessionAffinity")
        if spec.sessionAffinity == "ClientIP" {
            let timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 0
            if !(1...86400).contains(timeout) {
                errors.append(.invalidValue("spec.sessionAffinityConfig.clientIP.timeoutSeconds", String(timeout),
                                            "must be greater than 0 and less than 86400"))
            }
        } else if spec.sessionAffinity == "None", spec.sessionAffinityConfig != nil {
            errors.append(.forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None"))
        }
        errors += clusterIPs(spec)
        for (i, ip) in (spec.externalIPs ?? []).enumerated() {
            errors += ValueValidation.isValidIP(ip).map { .invalid("spec.externalIPs[\(i)]", ip, $0) }
        }
        errors += FieldChecks.oneOf(type, types, "spec.type")
        if type == "ClusterIP" {
            for (i, port) in ports.enumerated() where (port.nodePort ?? 0) != 0 {
                errors.append(.forbidden("spec.ports[\(i)].nodePort", "may not be used when `type` is 'ClusterIP'"))
            }
        }
        var nodePorts = Set<String>()
        for (i, port) in ports.enumerated() {
            guard let nodePort = port.nodePort, nodePort != 0 else { continue }
            if !nodePorts.insert("\(port.protocol ?? "")/\(nodePort)").inserted {
                errors.append(.duplicate("spec.ports[\(i)].nodePort", String(nodePort)))
            }
        }
        var seen = Set<String>()
        for (i, port) in ports.enumerated() {
            let proto = port.protocol ?? ""
            if !seen.insert("\(proto)/\(port.port ?? 0)").inserted {
                errors.append(.duplicate("spec.ports[\(i)]", GoSyntax.servicePortKey(protocol: proto, port: port.port ?? 0)))
            }
        }
        if spec.allocateLoadBalancerNodePorts != nil && type != "LoadBalancer" {
            errors.append(.forbidden("spec.allocateLoadBalancerNodePorts", "may only be used when `type` is 'LoadBalancer'"))
        }
        errors += trafficPolicies(spec)
        return errors
    }

    private static func port(_ port: ServicePort, requireName: Bool, names: inout Set<String>,
                             _ path: String) -> [FieldError] {
        var errors: [FieldError] = []
        let name = port.name ?? ""
        if requireName && name.isEmpty {
            errors.append(.required("\(path).name"))
        } else if !name.isEmpty {
            errors += FieldChecks.dns1123Label(name, "\(path).name")
            if !names.insert(name).inserted { errors.append(.duplicate("\(path).name", GoSyntax.string(name))) }
        }
        errors += FieldChecks.portNumber(port.port ?? 0, "\(path).port")
        errors += FieldChecks.oneOf(port.protocol, ContainerValidation.protocols, "\(path).protocol")
        errors += FieldChecks.portNumberOrName(port.targetPort, "\(path).targetPort")
        if let appProtocol = port.appProtocol {
            errors += NameValidation.isQualifiedName(appProtocol).map { .invalid("\(path).appProtocol", appProtocol, $0) }
        }
        return errors
    }

    /// clusterIP and clusterIPs agree; the IPs parse; the families are known and not repeated.
    private static func clusterIPs(_ spec: ServiceSpec) -> [FieldError] {
        guard spec.type != "ExternalName" else { return [] }
        var errors: [FieldError] = []
        let ips = spec.clusterIPs ?? []
        if let ip = spec.clusterIP, !ip.isEmpty {
            if ips.isEmpty {
                errors.append(.required("spec.clusterIPs"))
            } else if ips[0] != ip {
                errors.append(.invalidValue("spec.clusterIPs", GoSyntax.stringSlice(ips), "first value must match `clusterIP`"))
            }
        } else if !ips.isEmpty {
            errors.append(.invalidValue("spec.clusterIPs", GoSyntax.stringSlice(ips), "must be empty when `clusterIP` is not specified"))
        }
        var families = Set<String>()
        for (i, family) in (spec.ipFamilies ?? []).enumerated() {
            if !["IPv4", "IPv6"].contains(family) {
                errors.append(.notSupported("spec.ipFamilies[\(i)]", family, supported: ["IPv4", "IPv6"]))
            }
            if !families.insert(family).inserted { errors.append(.duplicate("spec.ipFamilies[\(i)]", GoSyntax.string(family))) }
        }
        if let policy = spec.ipFamilyPolicy, !["PreferDualStack", "RequireDualStack", "SingleStack"].contains(policy) {
            errors.append(.notSupported("spec.ipFamilyPolicy", policy, supported: ["PreferDualStack", "RequireDualStack", "SingleStack"]))
        }
        for (i, ip) in ips.enumerated() where !(i == 0 && ip == "None") {
            errors += ValueValidation.isValidIP(ip).map { .invalid("spec.clusterIPs[\(i)]", ip, $0) }
        }
        if ips.count > 2 {
            errors.append(.invalidValue("spec.clusterIPs", GoSyntax.stringSlice(ips), "may only hold up to 2 values"))
        }
        return errors
    }

    private static func trafficPolicies(_ spec: ServiceSpec) -> [FieldError] {
        var errors: [FieldError] = []
        let external = spec.type == "NodePort" || spec.type == "LoadBalancer"
        if !external {
            if let policy = spec.externalTrafficPolicy, !policy.isEmpty {
                errors.append(.invalid("spec.externalTrafficPolicy", policy, "may only be set when `type` is 'NodePort' or 'LoadBalancer'"))
            }
        } else {
            errors += FieldChecks.oneOf(spec.externalTrafficPolicy, ["Cluster", "Local"], "spec.externalTrafficPolicy")
        }
        if spec.internalTrafficPolicy == nil, ["NodePort", "LoadBalancer", "ClusterIP"].contains(spec.type ?? "") {
            errors.append(.required("spec.internalTrafficPolicy"))
        }
        if let policy = spec.internalTrafficPolicy, !["Cluster", "Local"].contains(policy) {
            errors.append(.notSupported("spec.internalTrafficPolicy", policy, supported: ["Cluster", "Local"]))
        }
        return errors
    }

    /// A service keeps its cluster IPs once set (unless it is, or becomes, an ExternalName service).
    private static func clusterIPsUpdate(_ new: ServiceSpec, _ old: ServiceSpec) -> [FieldError] {
        if new.type == "ExternalName" || old.type == "ExternalName" { return [] }
        if old.clusterIP == "None" && new.clusterIP == "None" { return [] }
        let oldIPs = old.clusterIPs ?? []
        let newIPs = new.clusterIPs ?? []
        let rendered = GoSyntax.stringSlice(new.clusterIPs)
        if oldIPs.count == newIPs.count {
            return oldIPs.indices.filter { oldIPs[$0] != newIPs[$0] }
                .map { .invalidValue("spec.clusterIPs[\($0)]", rendered, "may not change once set") }
        }
        if oldIPs.count > newIPs.count {
            if newIPs.isEmpty { return [.invalidValue("spec.clusterIPs[0]", rendered, "primary clusterIP can not be unset")] }
            if newIPs[0] != oldIPs[0] { return [.invalidValue("spec.clusterIPs[0]", rendered, "may not change once set")] }
            return []
        }
        if let first = oldIPs.first, newIPs[0] != first {
            return [.invalidValue("spec.clusterIPs[0]", rendered, "may not change once set")]
        }
        return []
    }
}
