import APIModel
import Foundation
import Testing
@testable import APIServer

/// Core/v1 Event validation (Kubernetes' legacy event rules) and event names.
@Suite("Event validation")
struct EventValidationTests {
    static let events = "/api/v1/namespaces/default/events"

    static let cases: [Rejection] = [
        Rejection(label: "involved object in another namespace", path: events,
                  body: #"{"metadata":{"name":"e1"},"involvedObject":{"kind":"Pod","name":"p","namespace":"other"},"reason":"Started"}"#,
                  causes: [#"involvedObject.namespace: Invalid value: "other": does not match event.namespace"#]),
        Rejection(label: "new-style event without reporter, instance or action", path: events,
                  body: #"{"metadata":{"name":"e2"},"eventTime":"2025-01-15T10:00:00.000000Z","involvedObject":{"kind":"Pod","name":"p","namespace":"default"},"reason":"Started"}"#,
                  causes: ["reportingComponent: Required value",
                           #"reportingComponent: Invalid value: "": name part must be non-empty"#,
                           #"reportingComponent: Invalid value: "": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"#,
                           "reportingInstance: Required value", "action: Required value"]),
    ]

    @Test("Invalid events are refused with Kubernetes' causes", arguments: cases)
    func invalid(_ rejection: Rejection) async throws {
        try await TestAPI.with { api async throws in
            _ = try await api.expectInvalid(rejection.path, rejection.body, causes: rejection.causes)
        }
    }

    @Test("Event names need only be path segments; a well-formed new-style event is accepted")
    func accepted() async throws {
        try await TestAPI.with { api async throws in
            try await api.create(Self.events, #"{"metadata":{"name":"Pod_P.17a"},"involvedObject":{"kind":"Pod","name":"p","namespace":"default"},"reason":"Pulled"}"#)
            try await api.create(Self.events, #"""
            {"metadata":{"name":"e3"},"eventTime":"2025-01-15T10:00:00.000000Z","involvedObject":{"kind":"Pod","name":"p","namespace":"default"},
             "reason":"Started","action":"Start","reportingComponent":"kubelet","reportingInstance":"node-1"}
            """#)
        }
    }
}
