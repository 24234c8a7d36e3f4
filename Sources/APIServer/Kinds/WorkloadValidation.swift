import APIModel

/// Validation of the workload kinds (Deployment, ReplicaSet, ReplicationController, DaemonSet, StatefulSet),
/// as Kubernetes' apps and core validation plus their registry strategies' update checks.
enum WorkloadValidation {
    static func deployment(_ d: Deployment, _ old: Deployment?) -> [FieldError] {
        let spec = d.spec ?? DeploymentSpec()
        var errors = FieldChecks.nonNegative(spec.replicas, "spec.replicas")
        errors += selector(spec.selector, kind: "deployment")
        // Kubernetes checks a deployment's template as a replica set's, and says so in its messages.
        errors += template(spec.template, selector: spec.selector, kind: "ReplicaSet")
        errors += RolloutStrategyValidation.deployment(spec.strategy, "spec.strategy")
        errors += FieldChecks.nonNegative(spec.minReadySeconds, "spec.minReadySeconds")
        errors += FieldChecks.nonNegative(spec.revisionHistoryLimit, "spec.revisionHistoryLimit")
        if let deadline = spec.progressDeadlineSeconds {
            errors += FieldChecks.nonNegative(deadline, "spec.progressDeadlineSeconds")
            if deadline <= (spec.minReadySeconds ?? 0) {
                errors.append(.invalidValue("spec.progressDeadlineSeconds", String(deadline),
                                            "must be greater than minReadySeconds"))
            }
        }
        if let old { errors += immutableSelector(spec.selector, old.spec?.selector) }
        return errors
    }

    static func replicaSet(_ rs: ReplicaSet, _ old: ReplicaSet?) -> [FieldError] {
        let spec = rs.spec ?? ReplicaSetSpec()
        var errors = FieldChecks.nonNegative(spec.replicas, "spec.replicas")
        errors += FieldChecks.nonNegative(spec.minReadySeconds, "spec.minReadySeconds")
        // Kubernetes names deployments in this message for replica sets too.
        errors += selector(spec.selector, kind: "deployment")
        errors += template(spec.template, selector: spec.selector, kind: "ReplicaSet")
        if let old { errors += immutableSelector(spec.selector, old.spec?.selector) }
        return errors
    }

    /// Replication controllers select by a label map, which defaulting fills from the template's labels.
    static func replicationController(_ rc: ReplicationController, _ old: ReplicationController?) -> [FieldError] {
        let spec = rc.spec ?? ReplicationControllerSpec()
        var errors = FieldChecks.nonNegative(spec.minReadySeconds, "spec.minReadySeconds")
        let selectorMap = spec.selector ?? [:]
        if selectorMap.isEmpty { errors.append(.required("spec.selector")) }
        errors += FieldChecks.nonNegative(spec.replicas, "spec.replicas")
        guard let template = spec.template else { return errors + [.required("spec.template")] }
        let labels = template.metadata?.labels
        if !selectorMap.isEmpty, !LabelMatcher(matchingExactly: selectorMap).matches(labels ?? [:]) {
            errors.append(selectorMismatch(labels))
        }
        return errors + podTemplate(template, kind: "ReplicationController")
    }

    static func daemonSet(_ ds: DaemonSet, _ old: DaemonSet?) -> [FieldError] {
        let spec = ds.spec ?? DaemonSetSpec()
        var errors: [FieldError] = []
        if let selector = spec.selector { errors += FieldChecks.labelSelector(selector, "spec.selector") }
        let labels = spec.template?.metadata?.labels
        if !selects(spec.selector, labels) { errors.append(selectorMismatch(labels)) }
        if let selector = spec.selector, isEmpty(selector) {
            errors.append(.invalidValue("spec.selector", GoSyntax.labelSelector(selector), "empty selector is invalid for daemonset"))
        }
        errors += podTemplate(spec.template ?? PodTemplateSpec(), kind: "DaemonSet")
        errors += FieldChecks.nonNegative(spec.minReadySeconds, "spec.minReadySeconds")
        errors += RolloutStrategyValidation.daemonSet(spec.updateStrategy, "spec.updateStrategy")
        errors += FieldChecks.nonNegative(spec.revisionHistoryLimit, "spec.revisionHistoryLimit")
        if let old { errors += immutableSelector(spec.selector, old.spec?.selector) }
        return errors
    }

    /// StatefulSets check their template's labels but, as Kubernetes, not its pod spec; an update may change
    /// only replicas, ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy and
    /// minReadySeconds.
    static func statefulSet(_ sts: StatefulSet, _ old: StatefulSet?) -> [FieldError] {
        let spec = sts.spec ?? StatefulSetSpec()
        var errors: [FieldError] = []
        switch spec.podManagementPolicy ?? "" {
        case "": errors.append(.required("spec.podManagementPolicy"))
        case "OrderedReady", "Parallel": break
        case let other: errors.append(.invalid("spec.podManagementPolicy", other, "must be 'OrderedReady' or 'Parallel'"))
        }
        errors += RolloutStrategyValidation.statefulSet(spec.updateStrategy, "spec.updateStrategy")
        if let retention = spec.persistentVolumeClaimRetentionPolicy {
            for (name, value) in [("whenDeleted", retention.whenDeleted), ("whenScaled", retention.whenScaled)] {
                let value = value ?? ""
                if !["Retain", "Delete"].contains(value) {
                    errors.append(.notSupported("spec.persistentVolumeClaimRetentionPolicy.\(name)", value,
                                                supported: ["Retain", "Delete"]))
                }
            }
        }
        errors += FieldChecks.nonNegative(spec.replicas, "spec.replicas")
        errors += FieldChecks.nonNegative(spec.minReadySeconds, "spec.minReadySeconds")
        errors += FieldChecks.nonNegative(spec.ordinals?.start, "spec.ordinals.start")
        errors += selector(spec.selector, kind: "statefulset")
        let template = spec.template ?? PodTemplateSpec()
        let labels = template.metadata?.labels
        if !selects(spec.selector, labels) { errors.append(selectorMismatch(labels)) }
        errors += FieldChecks.labels(labels, "spec.template.labels")
        errors += alwaysRestart(template.spec, kind: "StatefulSet")
        if let old, let oldSpec = old.spec {
            var a = spec
            a.replicas = oldSpec.replicas
            a.template = oldSpec.template
            a.updateStrategy = oldSpec.updateStrategy
            a.minReadySeconds = oldSpec.minReadySeconds
            a.ordinals = oldSpec.ordinals
            a.persistentVolumeClaimRetentionPolicy = oldSpec.persistentVolumeClaimRetentionPolicy
            if a != oldSpec {
                errors.append(.forbidden("spec", "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"))
            }
        }
        return errors
    }

    // MARK: Shared parts

    /// A required, well-formed, non-empty label selector at `spec.selector`.
    private static func selector(_ selector: LabelSelector?, kind: String) -> [FieldError] {
        guard let selector else { return [.required("spec.selector")] }
        var errors = FieldChecks.labelSelector(selector, "spec.selector")
        if isEmpty(selector) {
            errors.append(.invalidValue("spec.selector", GoSyntax.labelSelector(selector), "empty selector is invalid for \(kind)"))
        }
        return errors
    }

    /// The template of a Deployment or ReplicaSet: labels matching the selector (an absent selector matches
    /// nothing, as Go's), then the pod template.
    private static func template(_ template: PodTemplateSpec?, selector: LabelSelector?, kind: String) -> [FieldError] {
        let template = template ?? PodTemplateSpec()
        var errors: [FieldError] = []
        let labels = template.metadata?.labels
        if !selects(selector, labels) { errors.append(selectorMismatch(labels)) }
        return errors + podTemplate(template, kind: kind)
    }

    /// A pod template (`ValidatePodTemplateSpec`) whose pods must restart always and have no deadline.
    private static func podTemplate(_ template: PodTemplateSpec, kind: String) -> [FieldError] {
        var errors = FieldChecks.labels(template.metadata?.labels, "spec.template.labels")
        for key in (template.metadata?.annotations ?? [:]).keys.sorted() {
            errors += NameValidation.isValidAnnotationKey(key).map { .invalid("spec.template.annotations", key, $0) }
        }
        errors += PodValidation.podSpec(template.spec ?? PodSpec(), path: "spec.template.spec")
        if !(template.spec?.ephemeralContainers ?? []).isEmpty {
            errors.append(.forbidden("spec.template.spec.ephemeralContainers", "ephemeral containers not allowed in pod template"))
        }
        return errors + alwaysRestart(template.spec, kind: kind)
    }

    private static func alwaysRestart(_ spec: PodSpec?, kind: String) -> [FieldError] {
        var errors: [FieldError] = []
        let policy = spec?.restartPolicy ?? ""
        if policy != "Always" {
            errors.append(.notSupported("spec.template.spec.restartPolicy", policy, supported: ["Always"]))
        }
        if spec?.activeDeadlineSeconds != nil {
            errors.append(.forbidden("spec.template.spec.activeDeadlineSeconds", "activeDeadlineSeconds in \(kind) is not Supported"))
        }
        return errors
    }

    private static func selectorMismatch(_ labels: [String: String]?) -> FieldError {
        .invalidValue("spec.template.metadata.labels", GoSyntax.stringMap(labels), "`selector` does not match template `labels`")
    }

    private static func immutableSelector(_ new: LabelSelector?, _ old: LabelSelector?) -> [FieldError] {
        guard new != old else { return [] }
        return [FieldChecks.immutable("spec.selector", rendered: new.map(GoSyntax.labelSelector) ?? "null")]
    }

    private static func isEmpty(_ selector: LabelSelector) -> Bool {
        (selector.matchLabels ?? [:]).isEmpty && (selector.matchExpressions ?? []).isEmpty
    }

    /// Whether the selector matches the template's labels: an absent selector matches nothing (Go's
    /// `LabelSelectorAsSelector(nil)`); one that does not parse is reported elsewhere and counts as matching.
    private static func selects(_ selector: LabelSelector?, _ labels: [String: String]?) -> Bool {
        guard let selector else { return false }
        guard let matcher = try? LabelMatcher(selector) else { return true }
        return matcher.matches(labels ?? [:])
    }
}
