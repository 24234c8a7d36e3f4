/// Why a patch could not be applied, classified the way the Kubernetes API server classifies it, so the
/// HTTP layer can answer with the same status code, `Status.reason` and `Status.message`.
///
/// | kind                 | HTTP | Status.reason           | where Kubernetes raises it                                  |
/// |----------------------|------|-------------------------|-------------------------------------------------------------|
/// | `.malformedPatch`    | 400  | `BadRequest`            | patch body of the wrong shape (JSON patch not a list of     |
/// |                      |      |                         | objects, strategic patch not an object), malformed          |
/// |                      |      |                         | `$retainKeys`, `$setElementOrder/…`, `$deleteFromPrimitiveList/…`, |
/// |                      |      |                         | merge patch that is neither object nor array                 |
/// | `.tooManyOperations` | 413  | `RequestEntityTooLarge` | JSON patch with more than `JSONPatch.maximumOperations` ops |
/// | `.operationFailed`   | 422  | `Invalid`               | a JSON patch operation that does not apply (missing path,   |
/// |                      |      |                         | bad index, unknown op…)                                      |
/// | `.testFailed`        | 422  | `Invalid`               | a JSON patch `test` operation that does not hold             |
/// | `.listOfLists`       | 422  | `Invalid`               | strategic merge of a list whose elements are lists           |
/// | `.mergeFailed`       | 500  | (empty: `Unknown`)      | every other strategic merge error (missing merge key,       |
/// |                      |      |                         | unknown `$patch` value, mixed element types, order list not |
/// |                      |      |                         | matching the patch list): Kubernetes does not classify them |
/// |                      |      |                         | and answers 500 with the error text as message               |
///
/// For 422 Kubernetes does not send the detail: its message is always
/// "the server rejected our request due to an error in our request" (`statusMessage`); `message` keeps the
/// detail (json-patch's wording, e.g. `testing value /spec/replicas failed: test failed`) for logs.
public struct PatchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of failure, which decides the HTTP answer.
    public enum Kind: String, Sendable, Hashable {
        case malformedPatch
        case tooManyOperations
        case operationFailed
        case testFailed
        case listOfLists
        case mergeFailed
    }

    public let kind: Kind
    /// What went wrong, in the words of the Go libraries Kubernetes uses (evanphx/json-patch,
    /// apimachinery's strategicpatch) where practical.
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    /// The HTTP status code the Kubernetes API server answers with.
    public var httpStatus: Int {
        switch kind {
        case .malformedPatch: return 400
        case .tooManyOperations: return 413
        case .operationFailed, .testFailed, .listOfLists: return 422
        case .mergeFailed: return 500
        }
    }

    /// The `reason` of the `Status` the API server answers with (`""` is `StatusReasonUnknown`).
    public var statusReason: String {
        switch kind {
        case .malformedPatch: return "BadRequest"
        case .tooManyOperations: return "RequestEntityTooLarge"
        case .operationFailed, .testFailed, .listOfLists: return "Invalid"
        case .mergeFailed: return ""
        }
    }

    /// The `message` of the `Status` the API server answers with.
    public var statusMessage: String {
        switch kind {
        case .malformedPatch, .mergeFailed: return message
        case .tooManyOperations: return "Request entity too large: " + message
        case .operationFailed, .testFailed, .listOfLists:
            return "the server rejected our request due to an error in our request"
        }
    }
}

// MARK: - Messages shared by the strategic merge patch code (apimachinery's mergepatch errors)

extension PatchError {
    static let badRetainKeys = PatchError(.malformedPatch, "invalid patch format of retainKeys")
    static let badSetElementOrder = PatchError(.malformedPatch, "invalid patch format of setElementOrder list")
    static let badPrimitiveList = PatchError(.malformedPatch, "invalid patch format of primitive list")
    static let listOfLists = PatchError(.listOfLists, "lists of lists are not supported")

    static func noMergeKey(_ map: [String: JSONValue], _ key: String) -> PatchError {
        PatchError(.mergeFailed, "map: \(JSONValue.object(map).goDescription) does not contain declared merge key: \(key)")
    }

    static func badArgType(expected: String, actual: JSONValue) -> PatchError {
        PatchError(.mergeFailed, "expected a \(expected), but received a \(actual.goTypeName)")
    }

    static func badPatchType(_ directive: JSONValue, _ map: [String: JSONValue]) -> PatchError {
        PatchError(.mergeFailed, "unknown patch type: \(directive.goDescription) in map: \(JSONValue.object(map).goDescription)")
    }
}
