import APIModel

/// Validation of node taints and pod tolerations, as Kubernetes' `validateNodeTaints` and
/// `ValidateTolerations`.
enum TaintValidation {
    static let effects = ["NoSchedule", "PreferNoSchedule", "NoExecute"]

    /// A taint effect; empty is allowed only where the caller says so (tolerations match every effect then).
    static func effect(_ effect: String?, allowEmpty: Bool, _ path: String) -> [FieldError] {
        let effect = effect ?? ""
        if effect.isEmpty { return allowEmpty ? [] : [.required(path)] }
        return effects.contains(effect) ? [] : [.notSupported(path, effect, supported: effects)]
    }

    static func tolerations(_ tolerations: [Toleration], _ path: String) -> [FieldError] {
        var errors: [FieldError] = []
        for (i, toleration) in tolerations.enumerated() {
            let p = "\(path)[\(i)]"
            let key = toleration.key ?? ""
            let op = toleration.operator ?? ""
            if !key.isEmpty { errors += NameValidation.isQualifiedName(key).map { .invalid("\(p).key", key, $0) } }
            if key.isEmpty && op != "Exists" {
                errors.append(.invalid("\(p).operator", op,
                                       "operator must be Exists when `key` is empty, which means \"match all values and all keys\""))
            }
            if toleration.tolerationSeconds != nil && toleration.effect != "NoExecute" {
                errors.append(.invalid("\(p).effect", toleration.effect ?? "",
                                       "effect must be 'NoExecute' when `tolerationSeconds` is set"))
            }
            switch op {
            case "Equal", "":
                let value = toleration.value ?? ""
                let problems = NameValidation.isValidLabelValue(value)
                if !problems.isEmpty { errors.append(.invalid("\(p).operator", value, problems.joined(separator: ";"))) }
            case "Exists":
                if !(toleration.value ?? "").isEmpty {
                    errors.append(.invalidValue("\(p).operator", GoSyntax.toleration(toleration),
                                                "value must be empty when `operator` is 'Exists'"))
                }
            default:
                errors.append(.notSupported("\(p).operator", op, supported: ["Equal", "Exists"]))
            }
            errors += effect(toleration.effect, allowEmpty: true, "\(p).effect")
        }
        return errors
    }

    /// Node taints, reported under `metadata.taints` as Kubernetes (oddly) reports them: valid keys,
    /// values and effects, unique by key and effect.
    static func taints(_ taints: [Taint], _ path: String) -> [FieldError] {
        var errors: [FieldError] = []
        var seen = Set<String>()
        for (i, taint) in taints.enumerated() {
            let p = "\(path)[\(i)]"
            let key = taint.key ?? ""
            errors += NameValidation.isQualifiedName(key).map { .invalid("\(p).key", key, $0) }
            let value = taint.value ?? ""
            let problems = NameValidation.isValidLabelValue(value)
            if !problems.isEmpty { errors.append(.invalid("\(p).value", value, problems.joined(separator: ";"))) }
            errors += effect(taint.effect, allowEmpty: false, "\(p).effect")
            if !seen.insert("\(taint.effect ?? "")\u{0}\(key)").inserted {
                errors.append(FieldError(.duplicate, field: p, value: GoSyntax.taint(taint),
                                         detail: "taints must be unique by key and effect pair"))
            }
        }
        return errors
    }
}
