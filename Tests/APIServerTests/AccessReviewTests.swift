import APIModel
import Testing
@testable import APIServer

@Suite("SelfSubjectAccessReview")
struct AccessReviewTests {
    static let path = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"

    @Test("An authenticated user is allowed, and the review comes back with its status; nothing is stored")
    func allowed() async throws {
        try await TestAPI.with { api async throws in
            let response = try await api.post(Self.path,
                #"{"spec":{"resourceAttributes":{"verb":"create","resource":"pods","namespace":"default"}}}"#)
            #expect(response.status == 201)
            let review = try response.json()
            #expect(review["kind"] == .string("SelfSubjectAccessReview"))
            #expect(review["apiVersion"] == .string("authorization.k8s.io/v1"))
            #expect(review["status"]?["allowed"] == .bool(true))
            #expect(review["spec"]?["resourceAttributes"]?["verb"] == .string("create"))
            #expect(try await api.store.list(prefix: "/registry/authorization.k8s.io/", revision: nil, limit: nil, after: nil).items.isEmpty)
        }
    }

    @Test("A review must name exactly one of resourceAttributes and nonResourceAttributes")
    func invalid() async throws {
        try await TestAPI.with { api async throws in
            let response = try await api.post(Self.path, #"{"spec":{}}"#)
            #expect(response.status == 422)
            #expect(try response.json()["details"]?["causes"]?.arrayValue?.first?["field"] == .string("spec.resourceAttributes"))
        }
    }

    @Test("Only create is served")
    func onlyCreate() async throws {
        try await TestAPI.with { api async throws in
            #expect(try await api.get(Self.path).status == 405)
            #expect(try await api.delete(Self.path).status == 405)
        }
    }
}
