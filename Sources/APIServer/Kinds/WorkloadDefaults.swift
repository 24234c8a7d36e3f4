import APIModel

/// Defaulting of the workload kinds, as Kubernetes' `SetDefaults_Deployment`, `_ReplicaSet`, `_DaemonSet`,
/// `_StatefulSet` and `_ReplicationController` (apps/v1, core/v1) do it. Every pod template also gets the
/// pod-spec defaults.
enum WorkloadDefaults {
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
        spec.template = template(spec.template)
        d.spec = spec
    }

    static func replicaSet(_ rs: inout ReplicaSet) {
        var spec = rs.spec ?? ReplicaSetSpec()
        spec.replicas = spec.replicas ?? 1
        spec.template = template(spec.template)
        rs.spec = spec
    }

    /// Replicas 1; an empty selector, and empty object labels, default to the template's labels.
    static func replicationController(_ rc: inout ReplicationController) {
        var spec = rc.spec ?? ReplicationControllerSpec()
        if let labels = spec.template?.metadata?.labels {
            if (spec.selector ?? [:]).isEmpty { spec.selector = labels }
            if (rc.metadata?.labels ?? [:]).isEmpty { rc.metadata?.labels = labels }
        }
        spec.replicas = spec.replicas ?? 1
        spec.template = spec.template.map { template($0) }
        rc.spec = spec
    }

    /// RollingUpdate with maxUnavailable 1 and maxSurge 0; ten revisions kept.
    static func daemonSet(_ ds: inout DaemonSet) {
        var spec = ds.spec ?? DaemonSetSpec()
        var strategy = spec.updateStrategy ?? DaemonSetUpdateStrategy()
        strategy.type = strategy.type ?? "RollingUpdate"
        if strategy.type == "RollingUpdate" {
            var rolling = strategy.rollingUpdate ?? RollingUpdateDaemonSet()
            rolling.maxUnavailable = rolling.maxUnavailable ?? .int(1)
            rolling.maxSurge = rolling.maxSurge ?? .int(0)
            strategy.rollingUpdate = rolling
        }
        spec.updateStrategy = strategy
        spec.revisionHistoryLimit = spec.revisionHistoryLimit ?? 10
        spec.template = template(spec.template)
        ds.spec = spec
    }

    /// OrderedReady pods, RollingUpdate from partition 0, PVCs retained, one replica, ten revisions.
    static func statefulSet(_ sts: inout StatefulSet) {
        var spec = sts.spec ?? StatefulSetSpec()
        spec.podManagementPolicy = spec.podManagementPolicy ?? "OrderedReady"
        var strategy = spec.updateStrategy ?? StatefulSetUpdateStrategy()
        if strategy.type == nil {
            strategy.type = "RollingUpdate"
            strategy.rollingUpdate = strategy.rollingUpdate ?? RollingUpdateStatefulSetStrategy()
        }
        if strategy.type == "RollingUpdate", var rolling = strategy.rollingUpdate {
            rolling.partition = rolling.partition ?? 0
            strategy.rollingUpdate = rolling
        }
        spec.updateStrategy = strategy
        var retention = spec.persistentVolumeClaimRetentionPolicy ?? StatefulSetPersistentVolumeClaimRetentionPolicy()
        if (retention.whenDeleted ?? "").isEmpty { retention.whenDeleted = "Retain" }
        if (retention.whenScaled ?? "").isEmpty { retention.whenScaled = "Retain" }
        spec.persistentVolumeClaimRetentionPolicy = retention
        spec.replicas = spec.replicas ?? 1
        spec.revisionHistoryLimit = spec.revisionHistoryLimit ?? 10
        spec.template = template(spec.template)
        spec.volumeClaimTemplates = spec.volumeClaimTemplates?.map(claimTemplate)
        sts.spec = spec
    }

    /// A StatefulSet's claim template, defaulted as a PersistentVolumeClaim: a filesystem volume, Pending.
    static func claimTemplate(_ claim: PersistentVolumeClaim) -> PersistentVolumeClaim {
        var claim = claim
        var spec = claim.spec ?? PersistentVolumeClaimSpec()
        spec.volumeMode = spec.volumeMode ?? "Filesystem"
        claim.spec = spec
        var status = claim.status ?? PersistentVolumeClaimStatus()
        status.phase = status.phase ?? "Pending"
        claim.status = status
        return claim
    }

    /// A pod template with the pod-spec defaults (an absent template is one with an empty spec, as in Go).
    static func template(_ template: PodTemplateSpec?) -> PodTemplateSpec {
        var template = template ?? PodTemplateSpec()
        var spec = template.spec ?? PodSpec()
        PodDefaults.podSpec(&spec)
        template.spec = spec
        return template
    }
}
