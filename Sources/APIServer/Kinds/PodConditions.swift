import APIModel

/// Setting a pod's conditions as Kubernetes' `UpdatePodCondition` does: one condition per type; the
/// transition time changes only when the status does.
enum PodConditions {
    static func set(_ status: inout PodStatus, type: String, status value: String, reason: String? = nil,
                    message: String? = nil, now: Time) {
        var conditions = status.conditions ?? []
        if let index = conditions.firstIndex(where: { $0.type == type }) {
            var condition = conditions[index]
            if condition.status != value { condition.lastTransitionTime = now }
            condition.status = value
            condition.reason = reason
            condition.message = message
            conditions[index] = condition
        } else {
            conditions.append(PodCondition(lastTransitionTime: now, message: message, reason: reason, status: value, type: type))
        }
        status.conditions = conditions
    }
}
