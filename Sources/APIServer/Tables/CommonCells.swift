import APIModel

/// Cells many printers share.
enum CommonCells {
    /// The object's name.
    static func name(_ object: some KubernetesObject) -> JSONValue {
        .string(object.metadata?.name ?? "")
    }

    /// The object's age (`5m`, `3d`), or `<unknown>` without a creation timestamp.
    static func age(_ object: some KubernetesObject, now: Time) -> JSONValue {
        .string(HumanDuration.age(of: object.metadata?.creationTimestamp, now: now))
    }

    /// A string cell that shows `placeholder` (`<none>`, `<unknown>`) instead of an absent or empty value.
    static func text(_ value: String?, orIfEmpty placeholder: String) -> JSONValue {
        guard let value, !value.isEmpty else { return .string(placeholder) }
        return .string(value)
    }

    /// An integer cell of an optional count, absent reading as 0.
    static func count(_ value: Int32?) -> JSONValue {
        .int(Int64(value ?? 0))
    }
}
