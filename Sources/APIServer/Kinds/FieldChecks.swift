import APIModel

/// The field-level checks many kinds share, each returning Kubernetes' field errors for one value at `path`.
enum FieldChecks {
    /// `must be greater than or equal to 0` for a negative number (Kubernetes' `ValidateNonnegativeField`).
    static func nonNegative<N: BinaryInteger>(_ value: N?, _ path: String) -> [FieldError] {
        guard let value, value < 0 else { return [] }
        return [.invalidValue(path, String(value), "must be greater than or equal to 0")]
    }

    /// A port number (1–65535) shown as a number.
    static func portNumber<N: BinaryInteger>(_ value: N, _ path: String) -> [FieldError] {
        ValueValidation.isValidPortNumber(Int(value)).map { .invalidValue(path, String(value), $0) }
    }

    /// A port given by number or by name (probes, service target ports).
    static func portNumberOrName(_ port: IntOrString?, _ path: String) -> [FieldError] {
        switch port ?? .int(0) {
        case .int(let number): return portNumber(number, path)
        case .string(let name): return ValueValidation.isValidPortName(name).map { .invalid(path, name, $0) }
        }
    }

    /// A DNS-1123 label such as a container, volume or port name.
    static func dns1123Label(_ value: String, _ path: String) -> [FieldError] {
        NameValidation.isDNS1123Label(value).map { .invalid(path, value, $0) }
    }

    /// A label map (`metadata.labels`, node selectors, service selectors): every key a qualified name, every
    /// value a label value; all errors at `path` itself, as Kubernetes' `ValidateLabels` reports them.
    static func labels(_ labels: [String: String]?, _ path: String) -> [FieldError] {
        var errors: [FieldError] = []
        for (key, value) in (labels ?? [:]).sorted(by: { $0.key < $1.key }) {
            errors += NameValidation.isQualifiedName(key).map { .invalid(path, key, $0) }
            errors += NameValidation.isValidLabelValue(value).map { .invalid(path, value, $0) }
        }
        return errors
    }

    /// A label selector: its match labels, and each expression's key, operator and values.
    static func labelSelector(_ selector: LabelSelector, _ path: String) -> [FieldError] {
        var errors = labels(selector.matchLabels, "\(path).matchLabels")
        for (i, requirement) in (selector.matchExpressions ?? []).enumerated() {
            let p = "\(path).matchExpressions[\(i)]"
            let values = requirement.values ?? []
            switch requirement.operator ?? "" {
            case "In", "NotIn":
                if values.isEmpty {
                    errors.append(.required("\(p).values", "must be specified when `operator` is 'In' or 'NotIn'"))
                }
            case "Exists", "DoesNotExist":
                if !values.isEmpty {
                    errors.append(.forbidden("\(p).values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
                }
            default:
                errors.append(.invalid("\(p).operator", requirement.operator ?? "", "not a valid selector operator"))
            }
            let key = requirement.key ?? ""
            errors += NameValidation.isQualifiedName(key).map { .invalid("\(p).key", key, $0) }
            for (j, value) in values.enumerated() {
                errors += NameValidation.isValidLabelValue(value).map { .invalid("\(p).values[\(j)]", value, $0) }
            }
        }
        return errors
    }

    /// One of a fixed set of values; empty is `Required value`.
    static func oneOf(_ value: String?, _ supported: [String], _ path: String) -> [FieldError] {
        let value = value ?? ""
        if value.isEmpty { return [.required(path)] }
        return supported.contains(value) ? [] : [.notSupported(path, value, supported: supported)]
    }

    /// `field is immutable` with the new value rendered (Kubernetes' `ValidateImmutableField`).
    static func immutable(_ path: String, rendered: String) -> FieldError {
        .invalidValue(path, rendered, "field is immutable")
    }
}
