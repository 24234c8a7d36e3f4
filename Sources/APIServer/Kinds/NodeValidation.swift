import APIModel

/// Validation of Nodes, as Kubernetes' `ValidateNode`: valid, unique taints, and pod CIDRs that parse, one
/// per IP family, and that do not change once set.
enum NodeValidation {
    static func node(_ node: Node, _ old: Node?) -> [FieldError] {
        let spec = node.spec ?? NodeSpec()
        // Kubernetes reports taints under `metadata.taints`.
        var errors = TaintValidation.taints(spec.taints ?? [], "metadata.taints")
        let cidrs = podCIDRs(node)
        let rendered = GoSyntax.stringSlice(cidrs)
        let families = cidrs.map(ValueValidation.cidrFamily(of:))
        for (i, family) in families.enumerated() where family == nil {
            errors.append(.invalidValue("spec.podCIDRs[\(i)]", rendered, "must be valid CIDR"))
        }
        if cidrs.count > 1 {
            if cidrs.count > 2 || families.contains(nil) || Set(families).count != cidrs.count {
                errors.append(.invalidValue("spec.podCIDRs", rendered, "may specify no more than one CIDR for each IP family"))
            }
            var seen = Set<String>()
            for (i, cidr) in cidrs.enumerated() where !seen.insert(cidr).inserted {
                errors.append(.duplicate("spec.podCIDRs[\(i)]", GoSyntax.string(cidr)))
            }
        }
        // As Kubernetes: a pod network, once set, stays (agents and routes depend on it).
        if let oldCIDRs = old.map(podCIDRs), !oldCIDRs.isEmpty, podCIDRs(node) != oldCIDRs {
            errors.append(.forbidden("spec.podCIDRs", "node updates may not change podCIDR except from \"\" to valid"))
        }
        return errors
    }

    private static func podCIDRs(_ node: Node) -> [String] {
        let cidrs = node.spec?.podCIDRs ?? []
        if cidrs.isEmpty, let cidr = node.spec?.podCIDR, !cidr.isEmpty { return [cidr] }
        return cidrs
    }
}
