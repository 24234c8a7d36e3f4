import APIModel
import Foundation

/// A request the API server answered with a non-success HTTP status.
///
/// When the body is a Kubernetes `Status` (as every API error is), `code`, `reason` and `message` come from
/// it and `status` holds it whole; otherwise `code` is the HTTP status, `reason` is empty and `message` is
/// the body text (at most 1 KiB).
public struct KubernetesClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status code (`Status.code`, or the response status when the body is no `Status`).
    public var code: Int
    /// The machine-readable reason, e.g. `NotFound`, `AlreadyExists`, `Conflict`, `Invalid`.
    public var reason: String
    /// The human-readable message.
    public var message: String
    /// The decoded `Status`, when the body was one.
    public var status: Status?

    public init(code: Int, reason: String, message: String, status: Status? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.status = status
    }

    /// Builds the error for a response with HTTP status `httpStatus` and `body`.
    public init(httpStatus: Int, body: Data) {
        if let status = try? JSONDecoder().decode(Status.self, from: body), status.kind == "Status" || status.reason != nil {
            self.init(code: Int(status.code ?? Int32(httpStatus)), reason: status.reason ?? "",
                      message: status.message ?? "", status: status)
        } else {
            let text = String(decoding: body.prefix(1024), as: UTF8.self)
            self.init(code: httpStatus, reason: "", message: text)
        }
    }

    public var isNotFound: Bool { code == 404 }
    public var isAlreadyExists: Bool { code == 409 && reason == "AlreadyExists" }
    public var isConflict: Bool { code == 409 && reason == "Conflict" }

    public var description: String {
        reason.isEmpty ? "HTTP \(code): \(message)" : "\(reason) (\(code)): \(message)"
    }
}

/// Parameters of a list or watch request (Kubernetes `ListOptions`). Nil fields are not sent.
public struct ListOptions: Sendable, Hashable {
    public var labelSelector: String?
    public var fieldSelector: String?
    /// The maximum number of items in one page of a list; continue with `continueToken`.
    public var limit: Int?
    public var continueToken: String?
    /// For a list: the minimum resourceVersion to serve from (`"0"` lets the server answer from its cache).
    /// For a watch: the resourceVersion after which events are sent; nil or `"0"` first sends the current
    /// state as ADDED events.
    public var resourceVersion: String?
    /// For a watch: the server ends the stream after this many seconds.
    public var timeoutSeconds: Int?
    /// For a watch: ask for periodic BOOKMARK events.
    public var allowWatchBookmarks: Bool?

    public init(labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil,
                continueToken: String? = nil, resourceVersion: String? = nil, timeoutSeconds: Int? = nil,
                allowWatchBookmarks: Bool? = nil) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continueToken = continueToken
        self.resourceVersion = resourceVersion
        self.timeoutSeconds = timeoutSeconds
        self.allowWatchBookmarks = allowWatchBookmarks
    }

    /// The query string (without `?`), with `watch=true` first when `watch` is set.
    func query(watch: Bool) -> String {
        PathEscaping.query([
            ("watch", watch ? "true" : nil),
            ("labelSelector", labelSelector),
            ("fieldSelector", fieldSelector),
            ("limit", limit.map(String.init)),
            ("continue", continueToken),
            ("resourceVersion", resourceVersion),
            ("timeoutSeconds", timeoutSeconds.map(String.init)),
            ("allowWatchBookmarks", allowWatchBookmarks.map { $0 ? "true" : "false" }),
        ])
    }
}
