import APIModel

/// kubectl's client-side apply annotation, as kube-apiserver's `lastAppliedManager` and
/// `lastAppliedUpdater` treat it for server-side applies by the manager `kubectl`.
extension FieldManager {
    /// The manager name of `kubectl apply --server-side`, the only one the annotation is honoured for.
    static let kubectl = "kubectl"

    /// `kubectl.kubernetes.io/last-applied-configuration`.
    static let lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

    /// Kubernetes' limit on the total size of an object's annotations (keys and values), 256 KiB.
    static let annotationsSizeLimit = 256 * 1024

    /// The fields of the live object's last-applied configuration that still hold the values it applied
    /// (kube-apiserver's `allowedConflictsFromLastApplied`); nil when there is no usable annotation
    /// (absent, empty, not a JSON object, or written for another API version).
    func clientSideAppliedFields(of live: JSONValue?, apiVersion: String, definition: String) -> FieldSet? {
        guard let text = live?["metadata"]?["annotations"]?[FieldManager.lastAppliedAnnotation]?.stringValue, !text.isEmpty,
              let lastApplied = try? JSONValue(parsing: text), case .object = lastApplied,
              lastApplied["apiVersion"]?.stringValue == apiVersion, let live else { return nil }
        let valueSchema = schema.schema(ofDefinition: definition)
        let differences = schema.compare(lastApplied, live, schema: valueSchema)
        return schema.fieldSet(of: lastApplied, schema: valueSchema)
            .subtracting(differences.modified).subtracting(differences.added).subtracting(differences.removed)
    }

    /// `object` with its last-applied annotation, if it has a non-empty one, replaced by `config` (less
    /// that annotation) encoded as Go's `json.Encoder` writes it (sorted keys, `<`, `>`, `&` escaped, a
    /// final newline). When the annotations would then exceed Kubernetes' size limit, the annotation is
    /// dropped instead.
    static func syncingLastApplied(of object: JSONValue, to config: JSONValue) -> JSONValue {
        guard case .object(var members) = object, case .object(var metadata)? = members["metadata"],
              case .object(var annotations)? = metadata["annotations"],
              let current = annotations[lastAppliedAnnotation]?.stringValue, !current.isEmpty else { return object }
        var applied = config
        if case .object(var configMembers) = config, case .object(var configMetadata)? = configMembers["metadata"],
           case .object(var configAnnotations)? = configMetadata["annotations"] {
            configAnnotations[lastAppliedAnnotation] = nil
            configMetadata["annotations"] = .object(configAnnotations)
            configMembers["metadata"] = .object(configMetadata)
            applied = .object(configMembers)
        }
        annotations[lastAppliedAnnotation] = .string(goEncoderText(applied))
        let size = annotations.reduce(0) { $0 + $1.key.utf8.count + ($1.value.stringValue?.utf8.count ?? 0) }
        if size > annotationsSizeLimit { annotations[lastAppliedAnnotation] = nil }
        metadata["annotations"] = .object(annotations)
        members["metadata"] = .object(metadata)
        return .object(members)
    }

    /// JSON as Go's `json.Encoder.Encode` writes it: compact, keys sorted, HTML-significant characters and
    /// the line and paragraph separators escaped, with a final newline.
    static func goEncoderText(_ value: JSONValue) -> String {
        var text = ""
        for scalar in value.serializedString().unicodeScalars {
            switch scalar {
            case "<": text += "\\u003c"
            case ">": text += "\\u003e"
            case "&": text += "\\u0026"
            case "\u{2028}": text += "\\u2028"
            case "\u{2029}": text += "\\u2029"
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\n"
    }
}
