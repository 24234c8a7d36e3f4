/// The `PodLogOptions` of a `pods/log` request, and of the node's `/containerLogs` request the API server
/// makes from it (same parameter names). Parsing converts values only; the API server validates them.
public struct PodLogQuery: Sendable, Equatable {
    public var container: String?
    public var follow = false
    public var previous = false
    public var timestamps = false
    public var sinceSeconds: Int?
    /// RFC 3339, as given.
    public var sinceTime: String?
    public var tailLines: Int?
    public var limitBytes: Int?

    public init(container: String? = nil, follow: Bool = false, previous: Bool = false, timestamps: Bool = false,
                sinceSeconds: Int? = nil, sinceTime: String? = nil, tailLines: Int? = nil, limitBytes: Int? = nil) {
        self.container = container
        self.follow = follow
        self.previous = previous
        self.timestamps = timestamps
        self.sinceSeconds = sinceSeconds
        self.sinceTime = sinceTime
        self.tailLines = tailLines
        self.limitBytes = limitBytes
    }

    /// Converts the query parameters; throws for an integer or time that does not parse.
    public init(_ parameters: QueryParameters) throws(QueryParameterError) {
        container = parameters.first("container").flatMap { $0.isEmpty ? nil : $0 }
        follow = parameters.bool("follow")
        previous = parameters.bool("previous")
        timestamps = parameters.bool("timestamps")
        sinceSeconds = try parameters.int("sinceSeconds")
        tailLines = try parameters.int("tailLines")
        limitBytes = try parameters.int("limitBytes")
        if let text = parameters.first("sinceTime"), !text.isEmpty {
            guard Time(rfc3339: text) != nil else {
                throw QueryParameterError(message: "parsing time \(GoFormatting.quoted(text)) as "
                                          + "\"2006-01-02T15:04:05Z07:00\": cannot parse \(GoFormatting.quoted(text)) as \"2006\"")
            }
            sinceTime = text
        }
    }

    /// The node's query for these options, as the API server forwards them (the container is in the path).
    public var nodeParameters: QueryParameters {
        var items: [(name: String, value: String)] = []
        if follow { items.append(("follow", "true")) }
        if previous { items.append(("previous", "true")) }
        if timestamps { items.append(("timestamps", "true")) }
        if let sinceSeconds { items.append(("sinceSeconds", String(sinceSeconds))) }
        if let sinceTime { items.append(("sinceTime", sinceTime)) }
        if let tailLines { items.append(("tailLines", String(tailLines))) }
        if let limitBytes { items.append(("limitBytes", String(limitBytes))) }
        return QueryParameters(items)
    }
}
