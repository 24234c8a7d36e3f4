// Column descriptions of the table printers: Skiff's own field descriptions (schema/descriptions.json)
// for the fields each column shows.

/// The description of each table column, by the API field it shows.
enum FieldDocs {
    /// metav1 ObjectMeta.name.
    static let objectMetaName = "The object's name, unique within its namespace (or the cluster, for cluster-scoped kinds). Required on create unless generateName is given, and cannot be changed."
    /// metav1 ObjectMeta.creationTimestamp.
    static let objectMetaCreationTimestamp = "When the object was created, in UTC. Set by the server; read-only."
    /// core/v1 PodStatus.podIP.
    static let podStatusPodIP = "The primary IP address allocated to the pod. Empty until one is allocated."
    /// core/v1 PodSpec.nodeName.
    static let podSpecNodeName = "The node the pod is bound to. Normally set by the scheduler; setting it directly skips scheduling altogether."
    /// core/v1 PodStatus.nominatedNodeName.
    static let podStatusNominatedNodeName = "Set when the pod preempted other pods: the node it is expected to be scheduled onto once they are gone. It may still end up elsewhere."
    /// core/v1 PodSpec.readinessGates.
    static let podSpecReadinessGates = "Extra pod conditions that must all be True, in addition to every container being ready, for the pod to count as ready."
    /// core/v1 PodSpec.nodeSelector.
    static let podSpecNodeSelector = "Labels that a node must have, all of them, for the pod to be scheduled onto it."
    /// core/v1 ReplicationControllerSpec.replicas.
    static let replicationControllerSpecReplicas = "The desired number of pods. Defaults to 1."
    /// core/v1 ReplicationControllerStatus.replicas.
    static let replicationControllerStatusReplicas = "The most recently observed number of pods."
    /// core/v1 ReplicationControllerStatus.readyReplicas.
    static let replicationControllerStatusReadyReplicas = "The number of pods of this controller with a Ready condition."
    /// core/v1 ReplicationControllerSpec.selector.
    static let replicationControllerSpecSelector = "Labels a pod must carry, all of them, to count toward the replica count. When empty, it defaults to the labels of the pod template."
    /// extensions/v1beta1 ReplicaSetSpec.replicas.
    static let replicaSetSpecReplicas = "The desired number of pods. Defaults to 1."
    /// extensions/v1beta1 ReplicaSetStatus.replicas.
    static let replicaSetStatusReplicas = "The most recently observed number of pods of this replica set."
    /// extensions/v1beta1 ReplicaSetSpec.selector.
    static let replicaSetSpecSelector = "A label query over pods selecting the pods counted toward the replica count. It must match the pod template's labels."
    /// extensions/v1beta1 DaemonSetStatus.desiredNumberScheduled.
    static let daemonSetStatusDesiredNumberScheduled = "The total number of nodes that should run the daemon pod, including those already running it correctly."
    /// extensions/v1beta1 DaemonSetStatus.currentNumberScheduled.
    static let daemonSetStatusCurrentNumberScheduled = "The number of nodes that run at least one daemon pod and are supposed to."
    /// extensions/v1beta1 DaemonSetStatus.numberReady.
    static let daemonSetStatusNumberReady = "The number of nodes that should run the daemon pod and have at least one of them running with a Ready condition."
    /// extensions/v1beta1 DaemonSetStatus.numberAvailable.
    static let daemonSetStatusNumberAvailable = "The number of nodes that should run the daemon pod and have at least one of them running and available, that is ready for at least minReadySeconds."
    /// extensions/v1beta1 DaemonSetSpec.selector.
    static let daemonSetSpecSelector = "A label query over pods selecting the pods this daemon set manages. It must match the labels of the pod template. Required."
    /// extensions/v1beta1 DeploymentStatus.updatedReplicas.
    static let deploymentStatusUpdatedReplicas = "The number of non-terminated pods targeted by this deployment that were created from the current pod template."
    /// extensions/v1beta1 DeploymentStatus.availableReplicas.
    static let deploymentStatusAvailableReplicas = "The number of pods targeted by this deployment that have been ready for at least minReadySeconds."
    /// extensions/v1beta1 DeploymentSpec.selector.
    static let deploymentSpecSelector = "A label query over pods selecting the pods this deployment manages. It must match the pod template's labels and cannot be changed in apps/v1."
    /// core/v1 ServiceSpec.type.
    static let serviceSpecType = "How the service is exposed: ClusterIP (a virtual IP reachable inside the cluster), NodePort (also a port on every node), LoadBalancer (also an external load balancer) or ExternalName (a DNS alias for externalName). Defaults to ClusterIP."
    /// core/v1 ServiceSpec.clusterIP.
    static let serviceSpecClusterIP = "The virtual IP of the service, usually assigned at random; a specific free address within the service range may be requested. None makes the service headless, without a virtual IP. Not used by ExternalName services, and generally cannot be changed once set."
    /// core/v1 ServiceSpec.externalIPs.
    static let serviceSpecExternalIPs = "IP addresses, not managed by Kubernetes, for which nodes also accept traffic for this service; commonly external load balancers."
    /// core/v1 ServiceSpec.ports.
    static let serviceSpecPorts = "The ports the service exposes."
    /// core/v1 ServiceSpec.selector.
    static let serviceSpecSelector = "Labels selecting the pods that back the service. When empty or unset, the service's endpoints are managed externally. Ignored for ExternalName services."
    /// core/v1 Endpoints.subsets.
    static let endpointsSubsets = "Groups of addresses that share the same ports. Together they make up all the endpoints of the service."
    /// discovery/v1beta1 EndpointSlice.addressType.
    static let endpointSliceAddressType = "The type of addresses the slice holds: IPv4, IPv6 or FQDN. Cannot be changed after creation."
    /// discovery/v1beta1 EndpointSlice.ports.
    static let endpointSlicePorts = "The ports exposed by every endpoint in the slice. An empty list means no ports are exposed; a port with no number means all ports. At most 100."
    /// discovery/v1beta1 EndpointSlice.endpoints.
    static let endpointSliceEndpoints = "The endpoints in this slice; at most 1000."
    /// core/v1 NodeStatus.addresses.
    static let nodeStatusAddresses = "The addresses at which the node can be reached."
    /// core/v1 NodeSystemInfo.osImage.
    static let nodeSystemInfoOSImage = "The OS image of the node, from /etc/os-release, such as Debian GNU/Linux 12 (bookworm)."
    /// core/v1 NodeSystemInfo.kernelVersion.
    static let nodeSystemInfoKernelVersion = "The kernel version of the node, as reported by uname -r."
    /// core/v1 NodeSystemInfo.containerRuntimeVersion.
    static let nodeSystemInfoContainerRuntimeVersion = "The container runtime and its version, such as containerd://1.7.0."
    /// coordination/v1 LeaseSpec.holderIdentity.
    static let leaseSpecHolderIdentity = "The identity of the current holder of the lease."
    /// core/v1 Event.reason.
    static let eventReason = "A short, machine-readable reason for the event, such as FailedScheduling or Pulled."
    /// core/v1 ObjectReference.fieldPath.
    static let objectReferenceFieldPath = "When the reference is to a part of the object rather than all of it, the path of that part, for example spec.containers{web} for one container of a pod."
    /// core/v1 Event.firstTimestamp.
    static let eventFirstTimestamp = "When the event was first recorded."
    /// core/v1 ConfigMap.data.
    static let configMapData = "Keys mapped to UTF-8 string values. Keys may contain letters, digits, -, _ and . and must not also appear in binaryData."
    /// core/v1 Secret.type.
    static let secretType = "A hint for how to handle the secret's data, such as kubernetes.io/tls, kubernetes.io/dockerconfigjson or kubernetes.io/service-account-token. Defaults to Opaque."
    /// core/v1 Secret.data.
    static let secretData = "Keys mapped to secret values, base64-encoded in JSON and YAML. Keys may contain letters, digits, -, _ and ."
    /// core/v1 ServiceAccount.secrets.
    static let serviceAccountSecrets = "Secrets that pods running as this account may use. Pods are only limited to this list when the account has the annotation kubernetes.io/enforce-mountable-secrets set to true, which is deprecated. Not meant for holding generated token secrets."
    /// extensions/v1beta1 ReplicaSetStatus.readyReplicas.
    static let replicaSetStatusReadyReplicas = "The number of pods of this replica set with a Ready condition."
    /// extensions/v1beta1 DaemonSetStatus.updatedNumberScheduled.
    static let daemonSetStatusUpdatedNumberScheduled = "The number of nodes running a daemon pod created from the current pod template."
    /// apps/v1beta1 ControllerRevision.revision.
    static let controllerRevisionRevision = "The revision number of the state held in data. Required."
    /// core/v1 NodeSystemInfo.kubeletVersion.
    static let nodeSystemInfoKubeletVersion = "The kubelet version of the node."
    /// core/v1 Event.lastTimestamp.
    static let eventLastTimestamp = "When the most recent occurrence of the event was recorded."
    /// core/v1 Event.type.
    static let eventType = "The type of event: Normal or Warning."
    /// core/v1 Event.involvedObject.
    static let eventInvolvedObject = "The object the event is about."
    /// core/v1 Event.source.
    static let eventSource = "The component, and the host it runs on, that reported the event."
    /// core/v1 Event.message.
    static let eventMessage = "A human-readable description of what happened."
    /// core/v1 Event.count.
    static let eventCount = "How many times this event has occurred."
}
