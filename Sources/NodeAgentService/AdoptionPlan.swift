import APIModel
import ContainerRuntime

/// What a starting agent does with what a previous run left (DESIGN §5: adopt or remove). Pure.
///
/// Rules:
/// - A pod is adopted when it is still bound here, not terminal, and its sandbox container runs. Its running
///   containers are adopted as they are (same IDs; the worker is told they run, nothing restarts); its
///   stopped ones are removed (the worker starts them again as its restart policy says).
/// - Everything else of ours is removed: containers of pods no longer bound here (or not running with their
///   sandbox), containers without labels, network namespaces and IP leases of pods not adopted, and pod
///   directories of pods no longer bound here.
public struct AdoptionPlan: Sendable, Equatable {
    /// One container the runtime lists, with the labels found in its bundle.
    public struct Found: Sendable, Equatable {
        public var id: String
        public var running: Bool
        public var pid: Int32
        public var labels: ContainerLabels?

        public init(id: String, running: Bool, pid: Int32, labels: ContainerLabels?) {
            self.id = id
            self.running = running
            self.pid = pid
            self.labels = labels
        }
    }

    /// A pod whose sandbox (and some containers) are taken over.
    public struct AdoptedPod: Sendable, Equatable {
        public var sandboxID: String
        public var sandboxPID: Int32
        public var sandboxCgroupsPath: String
        /// The running containers by name.
        public var containers: [String: AdoptedContainer]
    }

    public struct AdoptedContainer: Sendable, Equatable {
        public var id: String
        public var pid: Int32
        public var labels: ContainerLabels
    }

    /// Adopted pods by uid.
    public var adopt: [String: AdoptedPod] = [:]
    /// Container IDs to delete (with their root file systems).
    public var removeContainers: [String] = []
    /// Pod uids whose network (namespace, IP lease) is released.
    public var releaseNetworks: [String] = []
    /// Pod uids whose directory (volumes, /etc files) is removed.
    public var removePodDirectories: [String] = []

    public init(found: [Found], boundPods: [Pod], networkOwners: Set<String>, podDirectories: Set<String>) {
        let live = Dictionary(boundPods.compactMap { pod -> (String, Pod)? in
            guard let uid = pod.metadata?.uid else { return nil }
            return (uid, pod)
        }, uniquingKeysWith: { first, _ in first })
        let adoptable = live.filter { _, pod in pod.status?.phase != "Succeeded" && pod.status?.phase != "Failed" }
        for sandbox in found where sandbox.running && sandbox.labels?.kind == .sandbox {
            guard let labels = sandbox.labels, adoptable[labels.podUID] != nil, adopt[labels.podUID] == nil else { continue }
            adopt[labels.podUID] = AdoptedPod(sandboxID: sandbox.id, sandboxPID: sandbox.pid,
                                              sandboxCgroupsPath: labels.cgroupsPath, containers: [:])
        }
        for container in found {
            guard let labels = container.labels, let pod = adopt[labels.podUID] else {
                removeContainers.append(container.id)
                continue
            }
            if labels.kind == .sandbox {
                if pod.sandboxID != container.id { removeContainers.append(container.id) }
                continue
            }
            if container.running, pod.containers[labels.containerName] == nil {
                adopt[labels.podUID]?.containers[labels.containerName] =
                    AdoptedContainer(id: container.id, pid: container.pid, labels: labels)
            } else {
                removeContainers.append(container.id)
            }
        }
        releaseNetworks = networkOwners.subtracting(adopt.keys).sorted()
        removePodDirectories = podDirectories.subtracting(live.keys).sorted()
        removeContainers.sort()
    }
}
