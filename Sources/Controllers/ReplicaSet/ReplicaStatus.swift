import APIModel
import Foundation

/// A condition of a ReplicaSet or ReplicationController (the two kinds' condition types have one shape).
public struct ReplicaCondition: Hashable, Sendable {
    public var type: String
    public var status: String
    public var reason: String?
    public var message: String?
    public var lastTransitionTime: Time?

    public init(type: String, status: String, reason: String? = nil, message: String? = nil, lastTransitionTime: Time? = nil) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastTransitionTime = lastTransitionTime
    }
}

/// The status of a ReplicaSet or ReplicationController, in the shape both kinds share.
public struct ReplicaStatus: Hashable, Sendable {
    /// The condition type set while creating or deleting pods fails.
    public static let replicaFailure = "ReplicaFailure"

    public var replicas: Int
    public var fullyLabeledReplicas: Int
    public var readyReplicas: Int
    public var availableReplicas: Int
    public var observedGeneration: Int64?
    public var conditions: [ReplicaCondition]

    public init(replicas: Int = 0, fullyLabeledReplicas: Int = 0, readyReplicas: Int = 0, availableReplicas: Int = 0,
                observedGeneration: Int64? = nil, conditions: [ReplicaCondition] = []) {
        self.replicas = replicas
        self.fullyLabeledReplicas = fullyLabeledReplicas
        self.readyReplicas = readyReplicas
        self.availableReplicas = availableReplicas
        self.observedGeneration = observedGeneration
        self.conditions = conditions
    }

    /// The status as read from an API object, absent counts being 0.
    init(replicas: Int32?, fullyLabeledReplicas: Int32?, readyReplicas: Int32?, availableReplicas: Int32?,
         observedGeneration: Int64?, conditions: [ReplicaCondition]) {
        self.init(replicas: Int(replicas ?? 0), fullyLabeledReplicas: Int(fullyLabeledReplicas ?? 0),
                  readyReplicas: Int(readyReplicas ?? 0), availableReplicas: Int(availableReplicas ?? 0),
                  observedGeneration: observedGeneration, conditions: conditions)
    }

    /// Kubernetes' `calculateStatus` and the generation `updateReplicaSetStatus` records: counts over `pods` (the
    /// owner's active pods); fully labeled means carrying every template label; available means Ready for
    /// longer than minReadySeconds. `failure` (the error of this sync's creates or deletes) sets a
    /// `ReplicaFailure` condition, FailedCreate or FailedDelete by which way the count was off, unless one is
    /// already set; a sync without failure removes it.
    public static func calculate<Owner: ReplicaOwner>(for owner: Owner, pods: [Pod], failure: String?, now: Date) -> ReplicaStatus {
        var status = owner.replicaStatus
        let templateLabels = owner.podTemplate?.metadata?.labels ?? [:]
        status.replicas = pods.count
        status.fullyLabeledReplicas = pods.filter { pod in
            let labels = pod.metadata?.labels ?? [:]
            return templateLabels.allSatisfy { labels[$0.key] == $0.value }
        }.count
        status.readyReplicas = pods.filter(\.isReady).count
        status.availableReplicas = pods.filter { $0.isAvailable(minReadySeconds: owner.minReadySeconds, now: now) }.count
        status.observedGeneration = owner.metadata?.generation ?? status.observedGeneration
        let hasFailure = status.conditions.contains { $0.type == replicaFailure }
        if let failure, !hasFailure {
            let diff = pods.count - owner.desiredReplicas
            let reason = diff < 0 ? "FailedCreate" : diff > 0 ? "FailedDelete" : ""
            status.conditions.append(ReplicaCondition(type: replicaFailure, status: "True", reason: reason, message: failure,
                                                      lastTransitionTime: Time(now)))
        } else if failure == nil && hasFailure {
            status.conditions.removeAll { $0.type == replicaFailure }
        }
        return status
    }

    /// A JSON merge patch that sets exactly this status (zero counts and no conditions are removed, as the
    /// API omits them; `replicas` is always written).
    public var mergePatch: JSONValue {
        func count(_ value: Int) -> JSONValue { value == 0 ? .null : .int(Int64(value)) }
        let conditions: JSONValue = self.conditions.isEmpty ? .null : .array(self.conditions.map { condition in
            var fields: [String: JSONValue] = ["type": .string(condition.type), "status": .string(condition.status)]
            if let reason = condition.reason { fields["reason"] = .string(reason) }
            if let message = condition.message { fields["message"] = .string(message) }
            if let time = condition.lastTransitionTime { fields["lastTransitionTime"] = .string(time.description) }
            return .object(fields)
        })
        return .object(["status": .object([
            "replicas": .int(Int64(replicas)),
            "fullyLabeledReplicas": count(fullyLabeledReplicas),
            "readyReplicas": count(readyReplicas),
            "availableReplicas": count(availableReplicas),
            "observedGeneration": observedGeneration.map { .int($0) } ?? .null,
            "conditions": conditions,
        ])])
    }
}
