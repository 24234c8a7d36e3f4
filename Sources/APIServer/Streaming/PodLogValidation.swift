import APIModel

/// `PodLogOptions` validation as Kubernetes' `ValidatePodLogOptions` (field paths and messages), answered as
/// 422 `PodLogOptions "<pod>" is invalid: …`.
enum PodLogValidation {
    static let info = ResourceInfo(group: "", version: "v1", plural: "podlogoptions", singular: "", kind: "PodLogOptions",
                                   namespaced: true, definition: "io.k8s.api.core.v1.PodLogOptions")

    static func errors(_ options: PodLogQuery) -> [FieldError] {
        var errors: [FieldError] = []
        if let tail = options.tailLines, tail < 0 {
            errors.append(.invalidValue("tailLines", String(tail), "must be greater than or equal to 0"))
        }
        if let limit = options.limitBytes, limit < 1 {
            errors.append(.invalidValue("limitBytes", String(limit), "must be greater than 0"))
        }
        if options.sinceSeconds != nil && options.sinceTime != nil {
            errors.append(.forbidden("", "at most one of `sinceTime` or `sinceSeconds` may be specified"))
        } else if let since = options.sinceSeconds, since < 1 {
            errors.append(.invalidValue("sinceSeconds", String(since), "must be greater than 0"))
        }
        return errors
    }

    /// The options of a `pods/log` query: 400 for values that do not convert, 422 for invalid ones.
    static func options(_ query: QueryParameters, pod: String) throws(APIError) -> PodLogQuery {
        let options: PodLogQuery
        do {
            options = try PodLogQuery(query)
        } catch {
            throw APIError.badRequest(error.message)
        }
        let errors = errors(options)
        if !errors.isEmpty { throw APIError.invalid(info, name: pod, causes: errors) }
        return options
    }
}
