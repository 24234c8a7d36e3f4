import APIModel

extension IntOrString {
    /// The value as a count out of `total` (Kubernetes' `GetScaledValueFromIntOrPercent`): an int as is, `"N%"` as
    /// N percent of `total`, rounded up or down. Nil for a string that is not a percentage.
    public func scaledValue(total: Int, roundUp: Bool) -> Int? {
        switch self {
        case .int(let value):
            return Int(value)
        case .string(let text):
            guard text.hasSuffix("%"), let percent = Int(text.dropLast()) else { return nil }
            let product = percent * total
            if roundUp { return product >= 0 ? (product + 99) / 100 : -((-product) / 100) }
            return product >= 0 ? product / 100 : -((-product + 99) / 100)
        }
    }
}

/// The sizes a rollout works within (Kubernetes' `ResolveFenceposts`, `MaxSurge` and `MaxUnavailable`).
///
/// Contracts:
/// - For RollingUpdate, `maxSurge` is the percentage of `replicas` rounded up and `maxUnavailable` rounded down;
///   when both come out 0, `maxUnavailable` is 1 (a rollout must be able to progress). `maxUnavailable` is at
///   most `replicas`, and 0 when `replicas` is 0. A malformed percentage counts as 0 (the API server rejects them).
/// - For Recreate both are 0.
public struct RolloutBounds: Hashable, Sendable {
    /// `spec.replicas`.
    public var replicas: Int
    public var maxSurge: Int
    public var maxUnavailable: Int

    public init(replicas: Int, maxSurge: Int, maxUnavailable: Int) {
        self.replicas = replicas
        self.maxSurge = maxSurge
        self.maxUnavailable = maxUnavailable
    }

    /// Resolves a strategy's surge and unavailability against `replicas`.
    public init(replicas: Int, strategy: DeploymentStrategy?) {
        self.replicas = replicas
        guard strategy?.type != DeploymentStrategyType.recreate else {
            maxSurge = 0
            maxUnavailable = 0
            return
        }
        let rolling = strategy?.rollingUpdate
        let surge = (rolling?.maxSurge ?? "25%").scaledValue(total: replicas, roundUp: true) ?? 0
        var unavailable = (rolling?.maxUnavailable ?? "25%").scaledValue(total: replicas, roundUp: false) ?? 0
        if surge == 0 && unavailable == 0 { unavailable = 1 }
        maxSurge = surge
        maxUnavailable = replicas == 0 ? 0 : min(unavailable, replicas)
    }

    /// The most pods the deployment may have during a rollout.
    public var maxTotal: Int { replicas + maxSurge }
    /// The fewest available pods the deployment may have during a rollout.
    public var minAvailable: Int { replicas - maxUnavailable }
}

/// The strategy types.
public enum DeploymentStrategyType {
    public static let recreate = "Recreate"
    public static let rollingUpdate = "RollingUpdate"
}

extension Deployment {
    /// `spec.replicas`, 1 when unset.
    public var desiredReplicas: Int { Int(spec?.replicas ?? 1) }
    /// Whether the strategy is Recreate (anything else is a rolling update).
    public var isRecreate: Bool { spec?.strategy?.type == DeploymentStrategyType.recreate }
    public var isPaused: Bool { spec?.paused ?? false }
    /// `spec.minReadySeconds`, 0 when unset.
    public var minReadySeconds: Int { Int(spec?.minReadySeconds ?? 0) }
    /// The rollout's bounds at `spec.replicas`.
    public var rolloutBounds: RolloutBounds { RolloutBounds(replicas: desiredReplicas, strategy: spec?.strategy) }
    /// `spec.progressDeadlineSeconds`, nil when unset or "never" (Int32.max), as `HasProgressDeadline`.
    public var progressDeadlineSeconds: Int? {
        guard let seconds = spec?.progressDeadlineSeconds, seconds != Int32.max else { return nil }
        return Int(seconds)
    }
}
