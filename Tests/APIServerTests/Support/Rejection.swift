import APIModel
import Foundation
import Hummingbird
import Testing
@testable import APIServer

/// One manifest the API must refuse with 422 Invalid, and the causes (`field: message`, in order) it must
/// name. Used by the table-driven validation suites.
struct Rejection: Sendable, CustomTestStringConvertible {
    var label: String
    /// The collection to POST to.
    var path: String
    var body: String
    var causes: [String]

    var testDescription: String { label }
}

extension TestAPI {
    /// POSTs (or PUTs, with `method`) `body` and expects 422 Invalid naming exactly `causes`, each as
    /// `field: message`, with Kubernetes' summary message; returns the Status.
    @discardableResult
    func expectInvalid(_ path: String, _ body: String, method: HTTPRequest.Method = .post, causes: [String],
                       sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONValue {
        let response = try await send(method, path, json: body)
        #expect(response.status == 422, "\(response)", sourceLocation: sourceLocation)
        let status = try response.json()
        #expect(status["reason"] == .string("Invalid"), sourceLocation: sourceLocation)
        let found = (status["details"]?["causes"]?.arrayValue ?? []).map { cause in
            (cause["field"]?.stringValue ?? "") + ": " + (cause["message"]?.stringValue ?? "")
        }
        #expect(found == causes, sourceLocation: sourceLocation)
        let message = status["message"]?.stringValue ?? ""
        let summary = causes.count == 1 ? causes[0] : "[" + causes.joined(separator: ", ") + "]"
        #expect(message.hasSuffix(" is invalid: " + summary), "\(message)", sourceLocation: sourceLocation)
        return status
    }
}
