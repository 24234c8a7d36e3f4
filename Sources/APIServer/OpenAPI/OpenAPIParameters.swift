/// The query and path parameters of Kubernetes REST operations, in the alphabetical order Kubernetes
/// lists them.
enum OpenAPIParameters {
    static func name(kind: String) -> OpenAPIParameter {
        OpenAPIParameter(name: "name", location: .path, type: .string, required: true, description: "name of the \(kind)")
    }

    static let namespace = OpenAPIParameter(
        name: "namespace", location: .path, type: .string, required: true,
        description: "object name and auth scope, such as for teams and projects")

    static let pretty = query("pretty", .string, "If 'true', then the output is pretty printed.")

    static let dryRun = query("dryRun", .string,
        "When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed")
    static let fieldManager = query("fieldManager", .string,
        "fieldManager is a name associated with the actor or entity that is making these changes. It is required for apply requests (application/apply-patch) and optional otherwise.")
    static let fieldValidation = query("fieldValidation", .string,
        "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: unknown fields are silently dropped. - Warn: a warning is sent in the Warning response header for each unknown field. - Strict: the request fails with a BadRequest error listing the unknown fields.")
    static let force = query("force", .boolean,
        "Force is going to \"force\" Apply requests: the caller re-acquires fields owned by other managers. It must be unset for non-apply patch requests.")

    static let gracePeriodSeconds = query("gracePeriodSeconds", .integer,
        "The duration in seconds before the object should be deleted. Zero means delete immediately; unset means the default of the type.")
    static let orphanDependents = query("orphanDependents", .boolean,
        "Deprecated: use propagationPolicy. Whether the dependent objects should be orphaned.")
    static let propagationPolicy = query("propagationPolicy", .string,
        "Whether and how garbage collection will be performed: 'Orphan', 'Background' or 'Foreground'.")

    static let allowWatchBookmarks = query("allowWatchBookmarks", .boolean,
        "allowWatchBookmarks requests watch events with type \"BOOKMARK\". Servers may ignore it.")
    static let continueToken = query("continue", .string,
        "The continue option should be set when retrieving more results from the server, with the value of metadata.continue of the previous page.")
    static let fieldSelector = query("fieldSelector", .string,
        "A selector to restrict the list of returned objects by their fields. Defaults to everything.")
    static let labelSelector = query("labelSelector", .string,
        "A selector to restrict the list of returned objects by their labels. Defaults to everything.")
    static let limit = query("limit", .integer,
        "limit is a maximum number of responses to return for a list call. Servers may return all results.")
    static let resourceVersion = query("resourceVersion", .string,
        "resourceVersion sets a constraint on what resource versions a request may be served from. Defaults to unset.")
    static let resourceVersionMatch = query("resourceVersionMatch", .string,
        "resourceVersionMatch determines how resourceVersion is applied to list calls. Defaults to unset.")
    static let sendInitialEvents = query("sendInitialEvents", .boolean,
        "sendInitialEvents=true may be set together with watch=true to begin the watch stream with the current state of the collection.")
    static let timeoutSeconds = query("timeoutSeconds", .integer,
        "Timeout for the list/watch call. This limits the duration of the call, regardless of any activity or inactivity.")
    static let watch = query("watch", .boolean,
        "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications. Specify resourceVersion.")

    /// The parameters of a list (and watch) call.
    static let list: [OpenAPIParameter] = [
        allowWatchBookmarks, continueToken, fieldSelector, labelSelector, limit,
        resourceVersion, resourceVersionMatch, sendInitialEvents, timeoutSeconds, watch,
    ]

    /// The parameters of a delete-collection call.
    static let deleteCollection: [OpenAPIParameter] = [
        continueToken, dryRun, fieldSelector, gracePeriodSeconds, labelSelector, limit, orphanDependents,
        propagationPolicy, resourceVersion, resourceVersionMatch, sendInitialEvents, timeoutSeconds,
    ]

    /// The parameters of a create (POST) or replace (PUT).
    static let write: [OpenAPIParameter] = [dryRun, fieldManager, fieldValidation]

    /// The parameters of a PATCH. kubectl's server-side validation gate looks for `fieldValidation` here.
    static let patch: [OpenAPIParameter] = [dryRun, fieldManager, fieldValidation, force]

    /// The parameters of a DELETE of one object.
    static let delete: [OpenAPIParameter] = [dryRun, gracePeriodSeconds, orphanDependents, propagationPolicy]

    private static func query(_ name: String, _ type: OpenAPIParameter.ValueType, _ description: String) -> OpenAPIParameter {
        OpenAPIParameter(name: name, location: .query, type: type, required: false, description: description)
    }
}
