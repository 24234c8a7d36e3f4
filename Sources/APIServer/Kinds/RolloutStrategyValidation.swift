import APIModel

/// Validation of the workloads' update strategies (Deployment `strategy`, DaemonSet and StatefulSet
/// `updateStrategy`) and their int-or-percent bounds, as Kubernetes' apps validation.
enum RolloutStrategyValidation {
    static func deployment(_ strategy: DeploymentStrategy?, _ path: String) -> [FieldError] {
        let strategy = strategy ?? DeploymentStrategy()
        switch strategy.type ?? "" {
        case "Recreate":
            guard strategy.rollingUpdate != nil else { return [] }
            return [.forbidden("\(path).rollingUpdate", "may not be specified when strategy `type` is 'Recreate'")]
        case "RollingUpdate":
            guard let rolling = strategy.rollingUpdate else {
                return [.required("\(path).rollingUpdate", "this should be defaulted and never be nil")]
            }
            let unavailable = rolling.maxUnavailable ?? .int(0)
            let surge = rolling.maxSurge ?? .int(0)
            var errors = intOrPercent(unavailable, "\(path).rollingUpdate.maxUnavailable")
            errors += intOrPercent(surge, "\(path).rollingUpdate.maxSurge")
            if value(of: unavailable) == 0 && value(of: surge) == 0 {
                errors.append(.invalidValue("\(path).rollingUpdate.maxUnavailable", GoSyntax.intOrString(unavailable),
                                            "may not be 0 when `maxSurge` is 0"))
            }
            return errors + notOver100Percent(unavailable, "\(path).rollingUpdate.maxUnavailable")
        case let other:
            let rendered = GoSyntax.strategy("DeploymentStrategy", type: other, rollingUpdateType: "RollingUpdateDeployment",
                                             hasRollingUpdate: strategy.rollingUpdate != nil)
            return [FieldError(.notSupported, field: path, value: rendered,
                               detail: "supported values: \"Recreate\", \"RollingUpdate\"")]
        }
    }

    static func daemonSet(_ strategy: DaemonSetUpdateStrategy?, _ path: String) -> [FieldError] {
        let strategy = strategy ?? DaemonSetUpdateStrategy()
        switch strategy.type ?? "" {
        case "OnDelete":
            return []
        case "RollingUpdate":
            guard let rolling = strategy.rollingUpdate else { return [.required("\(path).rollingUpdate")] }
            let p = "\(path).rollingUpdate"
            let unavailable = rolling.maxUnavailable ?? .int(0)
            let surge = rolling.maxSurge ?? .int(0)
            var errors = intOrPercent(unavailable, "\(p).maxUnavailable") + intOrPercent(surge, "\(p).maxSurge")
            errors += notOver100Percent(unavailable, "\(p).maxUnavailable") + notOver100Percent(surge, "\(p).maxSurge")
            switch (value(of: unavailable) != 0, value(of: surge) != 0) {
            case (true, true):
                errors.append(.invalidValue("\(p).maxSurge", GoSyntax.intOrString(surge),
                                            "may not be set when maxUnavailable is non-zero"))
            case (false, false):
                errors.append(.required("\(p).maxUnavailable", "cannot be 0 when maxSurge is 0"))
            default:
                break
            }
            return errors
        case let other:
            let rendered = GoSyntax.strategy("DaemonSetUpdateStrategy", type: other, rollingUpdateType: "RollingUpdateDaemonSet",
                                             hasRollingUpdate: strategy.rollingUpdate != nil)
            return [FieldError(.notSupported, field: path, value: rendered,
                               detail: "supported values: \"RollingUpdate\", \"OnDelete\"")]
        }
    }

    static func statefulSet(_ strategy: StatefulSetUpdateStrategy?, _ path: String) -> [FieldError] {
        let strategy = strategy ?? StatefulSetUpdateStrategy()
        switch strategy.type ?? "" {
        case "":
            return [.required(path)]
        case "OnDelete":
            guard strategy.rollingUpdate != nil else { return [] }
            return [.invalid("\(path).rollingUpdate", "", "only allowed for updateStrategy 'RollingUpdate'")]
        case "RollingUpdate":
            guard let rolling = strategy.rollingUpdate else { return [] }
            var errors = FieldChecks.nonNegative(rolling.partition ?? 0, "\(path).rollingUpdate.partition")
            if let unavailable = rolling.maxUnavailable {
                let p = "\(path).rollingUpdate.maxUnavailable"
                errors += intOrPercent(unavailable, p)
                if value(of: unavailable) == 0 {
                    errors.append(.invalidValue(p, GoSyntax.intOrString(unavailable), "cannot be 0"))
                }
                errors += notOver100Percent(unavailable, p)
            }
            return errors
        case let other:
            let rendered = GoSyntax.strategy("StatefulSetUpdateStrategy", type: other,
                                             rollingUpdateType: "RollingUpdateStatefulSetStrategy",
                                             hasRollingUpdate: strategy.rollingUpdate != nil)
            return [.invalidValue(path, rendered, "must be 'RollingUpdate' or 'OnDelete'")]
        }
    }

    /// A non-negative integer or a valid percentage.
    static func intOrPercent(_ value: IntOrString, _ path: String) -> [FieldError] {
        switch value {
        case .int(let number): return FieldChecks.nonNegative(number, path)
        case .string(let text):
            return ValueValidation.isValidPercent(text).map { .invalidValue(path, GoSyntax.intOrString(value), $0) }
        }
    }

    /// At most 100% when given as a percentage.
    static func notOver100Percent(_ value: IntOrString, _ path: String) -> [FieldError] {
        guard case .string(let text) = value, let percent = ValueValidation.percentValue(text), percent > 100 else {
            return []
        }
        return [.invalidValue(path, GoSyntax.intOrString(value), "must not be greater than 100%")]
    }

    /// The number of an int or percentage (an invalid percentage counts as 0, as Go's `IntValue`).
    static func value(of value: IntOrString) -> Int {
        switch value {
        case .int(let number): return Int(number)
        case .string(let text): return ValueValidation.percentValue(text) ?? 0
        }
    }
}
