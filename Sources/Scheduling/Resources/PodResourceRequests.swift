import APIModel

/// What a pod asks of a node: its effective requests, and the "non-zero" CPU and memory
/// requests used for scoring (Kubernetes' `resourcehelper.PodRequests` and the
/// scheduler's `calculateResource`).
///
/// The effective request of each resource is the larger of
/// - the sum over the app containers plus the restartable (sidecar, `restartPolicy:
///   Always`) init containers, and
/// - for each ordinary init container, its request plus the sidecars started before it;
///   for each sidecar, the sum of the sidecars up to and including it;
///
/// plus the pod's `overhead`.
public struct PodResourceRequests: Hashable, Sendable {
    /// CPU a container is taken to request for scoring when it states none (100m).
    public static let defaultMilliCPU: Int64 = 100
    /// Memory a container is taken to request for scoring when it states none (200Mi).
    public static let defaultMemory: Int64 = 200 * 1024 * 1024

    /// The effective requests, which filtering compares with allocatable.
    public var requests: ResourceAmounts
    /// The effective CPU request (millicores) when each container without a CPU request
    /// counts as ``defaultMilliCPU``.
    public var nonZeroMilliCPU: Int64
    /// The effective memory request (bytes) when each container without a memory request
    /// counts as ``defaultMemory``.
    public var nonZeroMemory: Int64

    public init(requests: ResourceAmounts, nonZeroMilliCPU: Int64, nonZeroMemory: Int64) {
        self.requests = requests
        self.nonZeroMilliCPU = nonZeroMilliCPU
        self.nonZeroMemory = nonZeroMemory
    }

    /// The requests of a pod spec (none for a nil spec).
    public init(_ spec: PodSpec?) {
        let requests = Self.effective(spec) { ResourceAmounts($0.resources?.requests) }
        let nonZero = Self.effective(spec) { container in
            var amounts = ResourceAmounts(container.resources?.requests)
            let stated = container.resources?.requests
            if stated?[ResourceName.cpu] == nil { amounts.milliCPU += Self.defaultMilliCPU }
            if stated?[ResourceName.memory] == nil { amounts.memory += Self.defaultMemory }
            return amounts
        }
        self.init(requests: requests, nonZeroMilliCPU: nonZero.milliCPU, nonZeroMemory: nonZero.memory)
    }

    /// Combines per-container requests as Kubernetes' `PodRequests` does.
    private static func effective(_ spec: PodSpec?, _ containerRequests: (Container) -> ResourceAmounts) -> ResourceAmounts {
        guard let spec else { return .zero }
        var total = ResourceAmounts.zero
        for container in spec.containers ?? [] { total += containerRequests(container) }
        var sidecars = ResourceAmounts.zero
        var initPeak = ResourceAmounts.zero
        for container in spec.initContainers ?? [] {
            let own = containerRequests(container)
            var running: ResourceAmounts
            if container.restartPolicy == "Always" {
                total += own
                sidecars += own
                running = sidecars
            } else {
                running = own
                running += sidecars
            }
            initPeak.formMaximum(with: running)
        }
        total.formMaximum(with: initPeak)
        if let overhead = spec.overhead { total += ResourceAmounts(overhead) }
        return total
    }
}
