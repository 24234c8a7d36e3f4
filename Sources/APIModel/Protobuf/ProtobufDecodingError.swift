import Foundation

/// Why a Kubernetes protobuf request body (`application/vnd.kubernetes.protobuf`) could not be turned into JSON.
public struct ProtobufDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The broad class of failure, for choosing an HTTP status.
    public enum Reason: Sendable, Hashable {
        /// The bytes are not a well-formed `k8s\0` envelope or protobuf message (answer 400 BadRequest).
        case malformed
        /// The envelope names a kind Skiff cannot decode from protobuf (answer 415 UnsupportedMediaType).
        case unsupportedKind
        /// The envelope declares a content encoding or content type other than plain protobuf (answer 415).
        case unsupportedEncoding
        /// The decoder's embedded field table is unusable: a bug in Skiff, not in the request.
        case internalSchema
    }

    /// The broad class of failure.
    public let reason: Reason
    /// A sentence fit for the `message` of a Kubernetes `Status`.
    public let message: String

    /// An error of `reason` described by `message`.
    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public var description: String { message }

    static func malformed(_ message: String) -> ProtobufDecodingError { .init(.malformed, message) }
}
