import APIModel
import Foundation

/// Validation of pods and pod specs, as Kubernetes' `ValidatePodSpec`, `ValidatePodCreate` and
/// `ValidatePodUpdate`. Errors come in Kubernetes' order: volumes, containers, init containers, then the
/// pod-level fields.
enum PodValidation {
    static func pod(_ pod: Pod, _ old: Pod?) -> [FieldError] {
        let spec = pod.spec ?? PodSpec()
        var errors = podSpec(spec, path: "spec")
        for (i, c) in (spec.containers ?? []).enumerated() {
            errors += imageWhitespace(c, "spec.containers[\(i)]")
        }
        for (i, c) in (spec.initContainers ?? []).enumerated() {
            errors += imageWhitespace(c, "spec.initContainers[\(i)]")
        }
        if let old, let oldSpec = old.spec {
            errors += podSpecUpdate(spec, oldSpec)
        } else {
            if !(spec.ephemeralContainers ?? []).isEmpty {
                errors.append(.forbidden("spec.ephemeralContainers", "cannot be set on create"))
            }
            if !(spec.nodeName ?? "").isEmpty && !(spec.schedulingGates ?? []).isEmpty {
                errors.append(.forbidden("spec.nodeName", "cannot be set until all schedulingGates have been cleared"))
            }
        }
        return errors
    }

    /// A pod spec at `path` (`spec`, or `spec.template.spec` in workloads).
    static func podSpec(_ spec: PodSpec, path: String) -> [FieldError] {
        let (volumes, volumeErrors) = VolumeValidation.volumes(spec.volumes ?? [], "\(path).volumes")
        var errors = volumeErrors
        let containers = spec.containers ?? []
        errors += ContainerValidation.containers(containers, volumes: volumes, path: "\(path).containers")
        errors += ContainerValidation.initContainers(spec.initContainers ?? [], regular: containers, volumes: volumes,
                                                     path: "\(path).initContainers")
        errors += hostNetworkPorts(spec, path: path)
        errors += FieldChecks.oneOf(spec.restartPolicy, ["Always", "OnFailure", "Never"], "\(path).restartPolicy")
        errors += FieldChecks.oneOf(spec.dnsPolicy, ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
                                    "\(path).dnsPolicy")
        errors += FieldChecks.labels(spec.nodeSelector, "\(path).nodeSelector")
        if let account = spec.serviceAccountName, !account.isEmpty {
            errors += NameValidation.nameIsDNSSubdomain(account, prefix: false)
                .map { .invalid("\(path).serviceAccountName", account, $0) }
        }
        if let node = spec.nodeName, !node.isEmpty {
            errors += NameValidation.nameIsDNSSubdomain(node, prefix: false).map { .invalid("\(path).nodeName", node, $0) }
        }
        if let deadline = spec.activeDeadlineSeconds, deadline < 1 || deadline > Int64(Int32.max) {
            errors.append(.invalidValue("\(path).activeDeadlineSeconds", String(deadline),
                                        ValueValidation.inclusiveRange(1, Int(Int32.max))))
        }
        if let hostname = spec.hostname, !hostname.isEmpty {
            errors += FieldChecks.dns1123Label(hostname, "\(path).hostname")
        }
        if let subdomain = spec.subdomain, !subdomain.isEmpty {
            errors += FieldChecks.dns1123Label(subdomain, "\(path).subdomain")
        }
        errors += TaintValidation.tolerations(spec.tolerations ?? [], "\(path).tolerations")
        if let policy = spec.preemptionPolicy {
            errors += FieldChecks.oneOf(policy, ["PreemptLowerPriority", "Never"], "\(path).preemptionPolicy")
        }
        return errors
    }

    /// On the host's network a container's host port must be its container port (in templates it may also be
    /// unset: pods get it defaulted).
    private static func hostNetworkPorts(_ spec: PodSpec, path: String) -> [FieldError] {
        guard spec.hostNetwork == true else { return [] }
        var errors: [FieldError] = []
        for (ci, c) in (spec.containers ?? []).enumerated() {
            for (pi, port) in (c.ports ?? []).enumerated() {
                let host = port.hostPort ?? 0
                if host != 0 && host != (port.containerPort ?? 0) {
                    errors.append(.invalidValue("\(path).containers[\(ci)].ports[\(pi)].hostPort", String(host),
                                                "must match `containerPort` when `hostNetwork` is true"))
                }
            }
        }
        return errors
    }

    /// Pods (not templates) refuse images with surrounding whitespace.
    private static func imageWhitespace(_ c: Container, _ path: String) -> [FieldError] {
        let image = c.image ?? ""
        guard image != image.trimmingCharacters(in: .whitespacesAndNewlines) else { return [] }
        return [.invalid("\(path).image", image, "must not have leading or trailing whitespace")]
    }

    /// Kubernetes forbids changing a pod's spec except images, activeDeadlineSeconds, tolerations (additions)
    /// and terminationGracePeriodSeconds; containers may not be added or removed.
    static func podSpecUpdate(_ new: PodSpec, _ old: PodSpec) -> [FieldError] {
        if (new.containers ?? []).count != (old.containers ?? []).count {
            return [.forbidden("spec.containers", "pod updates may not add or remove containers")]
        }
        if (new.initContainers ?? []).count != (old.initContainers ?? []).count {
            return [.forbidden("spec.initContainers", "pod updates may not add or remove containers")]
        }
        var errors = activeDeadlineUpdate(new.activeDeadlineSeconds, old.activeDeadlineSeconds)
        if !errors.isEmpty && new.activeDeadlineSeconds != nil { return errors }
        errors += onlyAddedTolerations(new.tolerations ?? [], old.tolerations ?? [])
        errors += onlyDeletedSchedulingGates(new.schedulingGates ?? [], old.schedulingGates ?? [])
        var a = new
        let b = old
        for i in 0..<(a.containers?.count ?? 0) { a.containers?[i].image = b.containers?[i].image }
        for i in 0..<(a.initContainers?.count ?? 0) { a.initContainers?[i].image = b.initContainers?[i].image }
        a.activeDeadlineSeconds = b.activeDeadlineSeconds
        a.tolerations = b.tolerations
        a.schedulingGates = b.schedulingGates
        a.terminationGracePeriodSeconds = b.terminationGracePeriodSeconds
        // The scheduler binds by setting nodeName once.
        if b.nodeName == nil { a.nodeName = nil }
        if a != b {
            return errors + [.forbidden("spec", "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)")]
        }
        return errors
    }

    /// A deadline may be set, or lowered, but not raised or removed.
    private static func activeDeadlineUpdate(_ new: Int64?, _ old: Int64?) -> [FieldError] {
        let path = "spec.activeDeadlineSeconds"
        guard let new else {
            return old == nil ? [] : [.invalid(path, "null", "must not update from a positive integer to nil value")]
        }
        if new < 0 || new > Int64(Int32.max) {
            return [.invalidValue(path, String(new), ValueValidation.inclusiveRange(0, Int(Int32.max)))]
        }
        if let old, old < new {
            return [.invalidValue(path, String(new), "must be less than or equal to previous value")]
        }
        return []
    }

    /// Every existing toleration must still be there, except that its tolerationSeconds may change.
    private static func onlyAddedTolerations(_ new: [Toleration], _ old: [Toleration]) -> [FieldError] {
        for existing in old {
            let kept = new.contains { candidate in
                var clone = existing
                clone.tolerationSeconds = candidate.tolerationSeconds
                return clone == candidate
            }
            if !kept {
                return [.forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds")]
            }
        }
        return []
    }

    /// Scheduling gates may only be removed.
    private static func onlyDeletedSchedulingGates(_ new: [PodSchedulingGate], _ old: [PodSchedulingGate]) -> [FieldError] {
        let existing = Set(old.compactMap(\.name))
        return new.enumerated().compactMap { i, gate in
            let name = gate.name ?? ""
            guard !existing.contains(name) else { return nil }
            return .forbidden("spec.schedulingGates[\(i)].name", "only deletion is allowed, but found new scheduling gate '\(name)'")
        }
    }
}
