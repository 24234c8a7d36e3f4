import Foundation

/// A label or field selector, or a selector requirement, that Kubernetes would
/// reject. ``message`` is worded as Kubernetes words it, so the API server can return
/// it unchanged in a `400 BadRequest` status.
public struct SelectorParseError: Error, Hashable, Sendable, CustomStringConvertible, LocalizedError {
    /// The Kubernetes-style message, e.g.
    /// `unable to parse requirement: found '', expected: in, notin, =, ==, !=, gt, lt`.
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
    public var errorDescription: String? { message }
}
