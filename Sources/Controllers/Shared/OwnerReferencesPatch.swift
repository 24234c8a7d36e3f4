import APIClient
import APIModel
import Foundation

extension KubernetesClient {
    /// Replaces the object's owner references by a merge patch, on the condition that the object is unchanged since
    /// it was read (its resourceVersion); returns the patched object. How controllers adopt and release.
    func replaceOwnerReferences<T: ServedKind>(of object: T, with references: [OwnerReference]) async throws -> T {
        let encoded = try JSONValue(parsing: ModelJSON.encode(references))
        let body: JSONValue = .object(["metadata": .object([
            "ownerReferences": references.isEmpty ? .null : encoded,
            "resourceVersion": object.metadata?.resourceVersion.map { .string($0) } ?? .null,
        ])])
        return try await patch(T.self, name: object.metadata?.name ?? "", namespace: object.metadata?.namespace,
                               mergePatch: body.serialized())
    }
}
