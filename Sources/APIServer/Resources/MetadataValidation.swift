import APIModel

/// Validation of `metadata` common to every kind, as Kubernetes' `ValidateObjectMeta`.
enum MetadataValidation {
    static func validate(_ meta: ObjectMeta, info: ResourceInfo, isCreate: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        let name = meta.name ?? ""
        if name.isEmpty {
            if (meta.generateName ?? "").isEmpty {
                errors.append(.required("metadata.name", "name or generateName is required"))
            }
        } else {
            for message in nameErrors(name, rule: info.nameRule, prefix: false) {
                errors.append(.invalid("metadata.name", name, message))
            }
        }
        if let prefix = meta.generateName, !prefix.isEmpty, isCreate {
            for message in nameErrors(prefix, rule: info.nameRule, prefix: true) {
                errors.append(.invalid("metadata.generateName", prefix, message))
            }
        }
        if info.namespaced {
            let namespace = meta.namespace ?? ""
            if namespace.isEmpty {
                errors.append(.required("metadata.namespace"))
            } else {
                for message in NameValidation.isDNS1123Label(namespace) {
                    errors.append(.invalid("metadata.namespace", namespace, message))
                }
            }
        }
        errors += FieldChecks.labels(meta.labels, "metadata.labels")
        let annotations = meta.annotations ?? [:]
        for key in annotations.keys.sorted() {
            for message in NameValidation.isValidAnnotationKey(key) {
                errors.append(.invalid("metadata.annotations", key, message))
            }
        }
        for message in NameValidation.validateAnnotationsSize(annotations) {
            errors.append(FieldError(.tooLong, field: "metadata.annotations", detail: message))
        }
        for (index, finalizer) in (meta.finalizers ?? []).enumerated() {
            for message in NameValidation.isQualifiedName(finalizer) {
                errors.append(.invalid("metadata.finalizers[\(index)]", finalizer, message))
            }
        }
        return errors
    }

    private static func nameErrors(_ name: String, rule: ResourceInfo.NameRule, prefix: Bool) -> [String] {
        switch rule {
        case .dns1123Subdomain: return NameValidation.nameIsDNSSubdomain(name, prefix: prefix)
        case .dns1123Label: return NameValidation.nameIsDNSLabel(name, prefix: prefix)
        case .dns1035Label: return NameValidation.nameIsDNS1035Label(name, prefix: prefix)
        case .pathSegment: return PathSegmentName.errors(name, prefix: prefix)
        }
    }
}

/// Kubernetes' `ValidatePathSegmentName`: names that can be used as one URL path segment.
enum PathSegmentName {
    static func errors(_ name: String, prefix: Bool) -> [String] {
        if !prefix, name == "." || name == ".." { return ["may not be '\(name)'"] }
        for bad in ["/", "%"] where name.contains(bad) { return ["may not contain '\(bad)'"] }
        return []
    }
}
