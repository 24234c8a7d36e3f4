import APIModel
import Foundation
import Hummingbird

/// `SelfSubjectAccessReview`: "may I do this?" (`kubectl auth can-i`). Nothing is stored; the answer is in the
/// returned object's status.
///
/// Skiff has no RBAC yet: every authenticated user may do everything, and the answer says so.
enum AccessReview {
    static func answer(_ request: ResourceRequest) throws(APIError) -> Response {
        let json = try RequestBody.json(request.body, contentType: request.contentType)
        var review: SelfSubjectAccessReview
        do {
            review = try JSONDecoder().decode(SelfSubjectAccessReview.self, from: json)
        } catch {
            throw APIError.badRequest("SelfSubjectAccessReview in version \"v1\" cannot be handled as a SelfSubjectAccessReview: \(error)")
        }
        let hasResource = review.spec?.resourceAttributes != nil
        let hasNonResource = review.spec?.nonResourceAttributes != nil
        if hasResource == hasNonResource {
            let rendered = hasResource ? "both set" : "null"
            throw APIError.invalid(request.info, name: "", causes: [
                .invalidValue("spec.resourceAttributes", rendered,
                              "exactly one of nonResourceAttributes or resourceAttributes must be specified"),
            ])
        }
        review.setTypeMeta()
        review.metadata = review.metadata ?? ObjectMeta()
        review.status = SubjectAccessReviewStatus(
            allowed: request.user != nil,
            reason: "Skiff allows every authenticated user every action (no RBAC yet)")
        return APIResponse.encodable(review, status: 201)
    }
}
