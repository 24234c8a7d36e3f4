import APIModel

/// Validation of ConfigMaps and Secrets, as Kubernetes' `ValidateConfigMap(Update)` and
/// `ValidateSecret(Update)`: valid keys, at most 1 MiB of data, and no data changes once `immutable`.
enum ConfigValidation {
    /// The most data a ConfigMap or Secret may hold: 1 MiB.
    static let maxSize = 1024 * 1024
    static let immutableMessage = "field is immutable when `immutable` is set"

    static func configMap(_ cm: ConfigMap, _ old: ConfigMap?) -> [FieldError] {
        var errors: [FieldError] = []
        if let old, old.immutable == true {
            if cm.immutable != true { errors.append(.forbidden("immutable", immutableMessage)) }
            if (cm.data ?? [:]) != (old.data ?? [:]) { errors.append(.forbidden("data", immutableMessage)) }
            if (cm.binaryData ?? [:]) != (old.binaryData ?? [:]) { errors.append(.forbidden("binaryData", immutableMessage)) }
        }
        var size = 0
        let binary = cm.binaryData ?? [:]
        for (key, value) in (cm.data ?? [:]).sorted(by: { $0.key < $1.key }) {
            errors += keyErrors(key, "data[\(key)]")
            if binary[key] != nil { errors.append(.invalid("data[\(key)]", key, "duplicate of key present in binaryData")) }
            size += value.utf8.count
        }
        for (key, value) in binary.sorted(by: { $0.key < $1.key }) {
            errors += keyErrors(key, "binaryData[\(key)]")
            size += value.count
        }
        // Kubernetes reports the whole object, under an empty field path.
        if size > maxSize { errors.append(.tooLong("", limit: maxSize)) }
        return errors
    }

    static func secret(_ secret: Secret, _ old: Secret?) -> [FieldError] {
        var errors: [FieldError] = []
        if let old {
            if secret.type != old.type {
                errors.append(FieldChecks.immutable("type", rendered: GoSyntax.string(secret.type ?? "")))
            }
            if old.immutable == true {
                if secret.immutable != true { errors.append(.forbidden("immutable", immutableMessage)) }
                if (secret.data ?? [:]) != (old.data ?? [:]) { errors.append(.forbidden("data", immutableMessage)) }
            }
        }
        let data = secret.data ?? [:]
        var size = 0
        for (key, value) in data.sorted(by: { $0.key < $1.key }) {
            errors += keyErrors(key, "data[\(key)]")
            size += value.count
        }
        if size > maxSize { errors.append(.tooLong("data", limit: maxSize)) }
        errors += requiredKeys(secret)
        return errors
    }

    private static func keyErrors(_ key: String, _ path: String) -> [FieldError] {
        ValueValidation.isConfigMapKey(key).map { .invalid(path, key, $0) }
    }

    /// The keys each well-known secret type must carry.
    private static func requiredKeys(_ secret: Secret) -> [FieldError] {
        let data = secret.data ?? [:]
        func require(_ keys: String...) -> [FieldError] {
            keys.filter { data[$0] == nil }.map { .required("data[\($0)]") }
        }
        switch secret.type ?? "" {
        case "kubernetes.io/service-account-token":
            let name = secret.metadata?.annotations?["kubernetes.io/service-account.name"] ?? ""
            return name.isEmpty ? [.required("metadata.annotations[kubernetes.io/service-account.name]")] : []
        case "kubernetes.io/dockercfg":
            return require(".dockercfg")
        case "kubernetes.io/dockerconfigjson":
            return require(".dockerconfigjson")
        case "kubernetes.io/basic-auth":
            return data["username"] == nil && data["password"] == nil ? require("username", "password") : []
        case "kubernetes.io/ssh-auth":
            return (data["ssh-privatekey"] ?? .init()).isEmpty ? [.required("data[ssh-privatekey]")] : []
        case "kubernetes.io/tls":
            return require("tls.crt", "tls.key")
        default:
            return []
        }
    }
}
