import APIModel
import ContainerRuntime
import Foundation
import Logging
import NodeAgent

/// Carries out an `AdoptionPlan` at agent start: gathers what a previous run left (the runtime's containers
/// with their labels, network namespaces, IP leases, pod, container and bundle directories), and removes
/// everything that is not adopted. Returns the plan and each adopted pod's IP (from its lease).
struct NodeReconciler: Sendable {
    let runtime: PodRuntime
    let logger: Logger

    func reconcile(boundPods: [Pod]) async throws -> (plan: AdoptionPlan, podIPs: [String: String]) {
        let oci = runtime.runtime
        let configuration = runtime.configuration
        let found = try await oci.list().map { state in
            AdoptionPlan.Found(id: state.id, running: state.status == .running,
                               pid: state.pid, labels: ContainerLabels.read(bundle: oci.bundlePath(state.id)))
        }
        let leaseDirectory = runtime.network.config.ipamDataDirectory + "/" + runtime.network.config.networkName
        let leases = IPLeases.read(directory: leaseDirectory)
        let owners = Set(leases.keys).union(runtime.network.namespaces.names())
        let podDirectories = Set((try? FileManager.default.contentsOfDirectory(atPath: configuration.podsDirectory)) ?? [])
        let plan = AdoptionPlan(found: found, boundPods: boundPods, networkOwners: owners, podDirectories: podDirectories)

        for id in plan.removeContainers {
            let labels = ContainerLabels.read(bundle: oci.bundlePath(id))
            await runtime.remove(containerID: id)
            if let path = labels?.cgroupsPath { oci.cgroups.removeLeftovers(cgroupsPath: path) }
        }
        for uid in plan.releaseNetworks {
            await runtime.releaseNetwork(podUID: uid)
        }
        for uid in plan.removePodDirectories {
            try? runtime.volumes.cleanUp(podUID: uid)
        }
        // Root file systems and bundles that no container owns (a crash between mount and create).
        let kept = Set(plan.adopt.values.flatMap { [$0.sandboxID] + $0.containers.values.map(\.id) })
        for directory in [configuration.containersDirectory, configuration.bundleDirectory] {
            for id in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where !kept.contains(id) {
                if directory == configuration.containersDirectory {
                    ContainerRootfs(containersDirectory: directory, id: id).remove()
                } else {
                    try? FileManager.default.removeItem(atPath: directory + "/" + id)
                }
            }
        }
        if !found.isEmpty || !owners.isEmpty {
            logger.info("reconciled at start: adopted \(plan.adopt.count) pods, removed \(plan.removeContainers.count) containers, released \(plan.releaseNetworks.count) pod networks")
        }
        return (plan, leases.filter { plan.adopt[$0.key] != nil })
    }
}
