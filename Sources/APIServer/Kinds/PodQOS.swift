import APIModel

/// A pod's quality-of-service class, as Kubernetes computes `status.qosClass`.
enum PodQOS {
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
}
