import APIModel

/// Fills `imageID` of the container statuses that have run (running or terminated, now or last time) with the
/// image's digest reference (`name@sha256:…`), as the kubelet reports what the runtime resolved; the pod
/// worker leaves it empty. `lookup` maps an image reference to its digest reference (nil: unknown). Pure.
enum ImageIDs {
    static func fill(_ status: PodStatus, lookup: (String) -> String?) -> PodStatus {
        var status = status
        status.initContainerStatuses = status.initContainerStatuses.map { $0.map { fill($0, lookup) } }
        status.containerStatuses = status.containerStatuses.map { $0.map { fill($0, lookup) } }
        return status
    }

    private static func fill(_ status: ContainerStatus, _ lookup: (String) -> String?) -> ContainerStatus {
        guard (status.imageID ?? "").isEmpty, let image = status.image else { return status }
        let ran = status.state?.running != nil || status.state?.terminated != nil || status.lastState?.terminated != nil
        guard ran, let id = lookup(image) else { return status }
        var status = status
        status.imageID = id
        return status
    }
}
