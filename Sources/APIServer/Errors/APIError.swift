import APIModel
import Foundation

/// An API failure, answered as a Kubernetes `Status` with this code, reason and message.
public struct APIError: Error, Sendable, CustomStringConvertible {
    public var code: Int
    public var reason: String
    public var message: String
    public var details: StatusDetails?

    public init(code: Int, reason: String, message: String, details: StatusDetails? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
    }

    public var description: String { "\(code) \(reason): \(message)" }

    /// The `Status` body for this error.
    public var status: Status {
        Status(kind: "Status", apiVersion: "v1", metadata: ListMeta(), code: Int32(code), details: details,
               message: message, reason: reason, status: "Failure")
    }

    // MARK: The vocabulary

    public static func notFound(_ resource: ResourceInfo, name: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "\(resource.qualifiedName) \"\(name)\" not found",
                 details: StatusDetails(kind: resource.plural, group: resource.group, name: name))
    }

    /// A namespace that does not exist, for a create inside it.
    public static func namespaceNotFound(_ namespace: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "namespaces \"\(namespace)\" not found",
                 details: StatusDetails(kind: "namespaces", name: namespace))
    }

    /// An unknown URL.
    public static let pathNotFound = APIError(code: 404, reason: "NotFound",
                                              message: "the server could not find the requested resource",
                                              details: StatusDetails())

    public static func alreadyExists(_ resource: ResourceInfo, name: String) -> APIError {
        APIError(code: 409, reason: "AlreadyExists",
                 message: "\(resource.qualifiedName) \"\(name)\" already exists",
                 details: StatusDetails(kind: resource.plural, group: resource.group, name: name))
    }

    public static func conflict(_ resource: ResourceInfo, name: String,
                                why: String = "the object has been modified; please apply your changes to the latest version and try again") -> APIError {
        APIError(code: 409, reason: "Conflict",
                 message: "Operation cannot be fulfilled on \(resource.qualifiedName) \"\(name)\": \(why)",
                 details: StatusDetails(kind: resource.plural, group: resource.group, name: name))
    }

    /// 422 with one cause per invalid field; the message is built as Kubernetes builds it.
    public static func invalid(_ resource: ResourceInfo, name: String, causes: [FieldError]) -> APIError {
        let summary = causes.map(\.summary)
        let joined = summary.count == 1 ? summary[0] : "[" + summary.joined(separator: ", ") + "]"
        let kindGroup = resource.group.isEmpty ? resource.kind : "\(resource.kind).\(resource.group)"
        return APIError(code: 422, reason: "Invalid", message: "\(kindGroup) \"\(name)\" is invalid: \(joined)",
                        details: StatusDetails(kind: resource.kind, causes: causes.map(\.cause),
                                               group: resource.group, name: name))
    }

    public static func badRequest(_ message: String) -> APIError {
        APIError(code: 400, reason: "BadRequest", message: message)
    }

    public static func methodNotAllowed(_ message: String = "the server does not allow this method on the requested resource") -> APIError {
        APIError(code: 405, reason: "MethodNotAllowed", message: message, details: StatusDetails())
    }

    public static func unsupportedMediaType(_ contentType: String) -> APIError {
        APIError(code: 415, reason: "UnsupportedMediaType",
                 message: "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf"
                    + (contentType.isEmpty ? "" : " (got \(contentType))"))
    }

    public static func notAcceptable(_ message: String) -> APIError {
        APIError(code: 406, reason: "NotAcceptable", message: message)
    }

    public static let requestEntityTooLarge = APIError(
        code: 413, reason: "RequestEntityTooLarge",
        message: "the server has received a request that is too large: limit is 3145728 bytes")

    public static func expired(_ message: String) -> APIError {
        APIError(code: 410, reason: "Expired", message: message)
    }

    public static func gone(_ message: String) -> APIError {
        APIError(code: 410, reason: "Gone", message: message)
    }

    public static func forbidden(_ message: String, resource: ResourceInfo? = nil, name: String? = nil) -> APIError {
        APIError(code: 403, reason: "Forbidden", message: message,
                 details: StatusDetails(kind: resource?.plural, group: resource?.group, name: name))
    }

    public static let unauthorized = APIError(code: 401, reason: "Unauthorized", message: "Unauthorized")

    public static func internalError(_ message: String) -> APIError {
        APIError(code: 500, reason: "InternalError", message: "Internal error occurred: \(message)")
    }

    public static func serviceUnavailable(_ message: String) -> APIError {
        APIError(code: 503, reason: "ServiceUnavailable", message: message)
    }

    public static func timeout(_ message: String) -> APIError {
        APIError(code: 504, reason: "Timeout", message: message)
    }
}

/// One invalid field, as Kubernetes' `field.Error`.
public struct FieldError: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case required = "FieldValueRequired"
        case invalid = "FieldValueInvalid"
        case notSupported = "FieldValueNotSupported"
        case duplicate = "FieldValueDuplicate"
        case forbidden = "FieldValueForbidden"
        case tooLong = "FieldValueTooLong"
        case tooMany = "FieldValueTooMany"
        case notFound = "FieldValueNotFound"
    }

    public var kind: Kind
    public var field: String
    /// The offending value as Kubernetes quotes it (strings in quotes), when the error shows it.
    public var value: String?
    public var detail: String

    public init(_ kind: Kind, field: String, value: String? = nil, detail: String = "") {
        self.kind = kind
        self.field = field
        self.value = value
        self.detail = detail
    }

    public static func required(_ field: String, _ detail: String = "") -> FieldError {
        FieldError(.required, field: field, detail: detail)
    }

    /// An invalid string value, quoted as Kubernetes quotes it (Go's `%q`).
    public static func invalid(_ field: String, _ value: String, _ detail: String) -> FieldError {
        FieldError(.invalid, field: field, value: GoFormatting.quoted(value), detail: detail)
    }

    public static func invalidValue(_ field: String, _ rendered: String, _ detail: String) -> FieldError {
        FieldError(.invalid, field: field, value: rendered, detail: detail)
    }

    public static func forbidden(_ field: String, _ detail: String) -> FieldError {
        FieldError(.forbidden, field: field, detail: detail)
    }

    public static func notSupported(_ field: String, _ value: String, supported: [String]) -> FieldError {
        FieldError(.notSupported, field: field, value: GoFormatting.quoted(value),
                   detail: "supported values: " + supported.map(GoFormatting.quoted).joined(separator: ", "))
    }

    /// A value that appears twice where it must be unique, rendered as Kubernetes renders it.
    public static func duplicate(_ field: String, _ rendered: String) -> FieldError {
        FieldError(.duplicate, field: field, value: rendered)
    }

    /// A reference to something that does not exist (`Not found: "name"`).
    public static func notFound(_ field: String, _ value: String) -> FieldError {
        FieldError(.notFound, field: field, value: GoFormatting.quoted(value))
    }

    /// A value over a size limit; Kubernetes omits the value from the message.
    public static func tooLong(_ field: String, limit: Int) -> FieldError {
        FieldError(.tooLong, field: field, detail: "may not be more than \(limit) bytes")
    }

    var typeText: String {
        switch kind {
        case .required: return "Required value"
        case .invalid: return "Invalid value"
        case .notSupported: return "Unsupported value"
        case .duplicate: return "Duplicate value"
        case .forbidden: return "Forbidden"
        case .tooLong: return "Too long"
        case .tooMany: return "Too many"
        case .notFound: return "Not found"
        }
    }

    /// `field: Type: value: detail`, as Kubernetes' `field.Error.Error()`.
    public var summary: String {
        var text = "\(field): \(typeText)"
        if let value { text += ": \(value)" }
        if !detail.isEmpty { text += ": \(detail)" }
        return text
    }

    /// The `StatusCause` of this error. Its message is the summary without the field.
    public var cause: StatusCause {
        var message = typeText
        if let value { message += ": \(value)" }
        if !detail.isEmpty { message += ": \(detail)" }
        return StatusCause(field: field, message: message, reason: kind.rawValue)
    }
}
