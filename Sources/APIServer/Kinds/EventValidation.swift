import APIModel

/// Validation of core/v1 Events, as Kubernetes' legacy event validation (`legacyValidateEvent`), which is
/// all it applies to events written through `/api/v1`: the involved object's namespace agrees with the
/// event's, and events of the new style (with `eventTime`) name their reporter, action and reason.
enum EventValidation {
    static func event(_ event: Event, _ old: Event?) -> [FieldError] {
        var errors: [FieldError] = []
        let namespace = event.metadata?.namespace ?? ""
        let involved = event.involvedObject?.namespace ?? ""
        let mismatch = FieldError.invalid("involvedObject.namespace", involved, "does not match event.namespace")
        if event.eventTime == nil {
            if involved.isEmpty ? !(namespace.isEmpty || namespace == "default") : namespace != involved {
                errors.append(mismatch)
            }
            return errors
        }
        if involved.isEmpty && namespace != "default" && namespace != "kube-system" { errors.append(mismatch) }
        let controller = event.reportingComponent ?? ""
        if controller.isEmpty { errors.append(.required("reportingComponent")) }
        errors += NameValidation.isQualifiedName(controller).map { .invalid("reportingComponent", controller, $0) }
        let limits: [(String, String?, Int, Bool)] = [
            ("reportingInstance", event.reportingInstance, 128, true),
            ("action", event.action, 128, true),
            ("reason", event.reason, 128, true),
            ("message", event.message, 1024, false),
        ]
        for (field, value, limit, required) in limits {
            let value = value ?? ""
            if required && value.isEmpty { errors.append(.required(field)) }
            if value.utf8.count > limit { errors.append(.invalid(field, "", "can have at most \(limit) characters")) }
        }
        return errors
    }
}
