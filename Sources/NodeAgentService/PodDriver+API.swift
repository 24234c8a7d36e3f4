import APIClient
import APIModel
import ContainerRuntime
import Foundation
import NodeAgent

/// What the driver writes to the API: the pod's status and the end of its deletion.
extension PodDriver {
    func writeStatus(_ status: PodStatus, of pod: Pod) async {
        let images = context.runtime.images
        let status = ImageIDs.fill(status) { image in (try? images.resolve(reference: image))?.digestReference }
        do {
            let patch: JSONValue = .object(["status": try JSONValue(parsing: try ModelJSON.encode(status))])
            let response = try await context.client.request(
                method: "PATCH",
                path: ResourcePath.pods.object(pod.metadata?.name ?? "", namespace: pod.metadata?.namespace) + "/status",
                body: patch.serialized(), contentType: "application/merge-patch+json")
            if !response.isSuccess, response.status != 404 {
                context.logger.warning("writing the status of pod \(uid) failed: HTTP \(response.status)")
            }
        } catch {
            context.logger.warning("writing the status of pod \(uid) failed: \(error)")
        }
    }

    func finishDeletion(_ pod: Pod) async {
        do {
            let body = try ModelJSON.encode(DeleteOptions(gracePeriodSeconds: 0, preconditions: Preconditions(uid: uid)))
            let response = try await context.client.request(
                method: "DELETE", path: ResourcePath.pods.object(pod.metadata?.name ?? "", namespace: pod.metadata?.namespace),
                body: body)
            if !response.isSuccess, response.status != 404, response.status != 409 {
                context.logger.warning("finishing the deletion of pod \(uid) failed: HTTP \(response.status)")
            }
        } catch {
            context.logger.warning("finishing the deletion of pod \(uid) failed: \(error)")
        }
    }
}
