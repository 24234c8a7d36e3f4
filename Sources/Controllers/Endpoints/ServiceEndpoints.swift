import APIModel

/// The endpoints of one Service computed from its pods (pure): what the Endpoints object and the
/// EndpointSlices of the Service should hold, as Kubernetes' endpoints and EndpointSlice controllers compute them.
///
/// - Only Services with a non-empty selector are managed; a pod is selected when its labels hold every pair
///   of the selector, in the Service's namespace.
/// - A pod takes part once it has an IP and is not finished (`Succeeded`, or `Failed` under restartPolicy
///   Never; `Succeeded` under OnFailure). Terminating pods (with a deletionTimestamp) are left out of Endpoints,
///   unless `publishNotReadyAddresses`, and kept in slices with `terminating: true`.
/// - Ready means the pod's Ready condition is True (or `publishNotReadyAddresses`); in slices `ready` is also
///   false while terminating, and `serving` is the Ready condition.
/// - Each Service port resolves its `targetPort` per pod: a number as is, a name through the pod's container
///   ports of the same protocol; a pod without the named port leaves that port out for itself. Pods are grouped
///   by the ports they resolved (Endpoints subsets; one slice group each), addresses ordered by IP.
/// - A pod's `hostname` is published when its `subdomain` names the Service.
public struct ServiceEndpoints: Equatable, Sendable {
    /// One endpoint: a pod's address and state.
    public struct Address: Equatable, Sendable {
        public var ip: String
        public var ready: Bool
        public var serving: Bool
        public var terminating: Bool
        public var nodeName: String?
        public var hostname: String?
        public var pod: ObjectReference
    }

    /// Endpoints sharing one resolved port list.
    public struct Group: Equatable, Sendable {
        public var ports: [DiscoveryEndpointPort]
        public var addresses: [Address]
    }

    public var groups: [Group]

    public static let headlessLabel = "service.kubernetes.io/headless"

    /// Whether the controller manages the Service's endpoints at all.
    public static func manages(_ service: Service) -> Bool {
        !(service.spec?.selector ?? [:]).isEmpty && service.spec?.type != "ExternalName"
    }

    /// Whether `service` selects `pod` (same namespace, every selector pair among the pod's labels).
    public static func selects(_ service: Service, _ pod: Pod) -> Bool {
        guard let selector = service.spec?.selector, !selector.isEmpty,
              pod.metadata?.namespace == service.metadata?.namespace else { return false }
        let labels = pod.metadata?.labels ?? [:]
        return selector.allSatisfy { labels[$0.key] == $0.value }
    }

    public init(service: Service, pods: [Pod]) {
        let publishNotReady = service.spec?.publishNotReadyAddresses ?? false
        var byPorts: [[DiscoveryEndpointPort]: [Address]] = [:]
        var order: [[DiscoveryEndpointPort]] = []
        for pod in pods where Self.selects(service, pod) && Self.takesPart(pod) {
            guard let ip = pod.status?.podIP, !ip.isEmpty else { continue }
            let terminating = pod.metadata?.deletionTimestamp != nil
            let podReady = pod.status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } ?? false
            let address = Address(
                ip: ip,
                ready: publishNotReady || (podReady && !terminating),
                serving: publishNotReady || podReady,
                terminating: terminating,
                nodeName: pod.spec?.nodeName,
                hostname: Self.hostname(of: pod, in: service),
                pod: ObjectReference(kind: "Pod", name: pod.metadata?.name, namespace: pod.metadata?.namespace,
                                     uid: pod.metadata?.uid))
            let ports = Self.resolvedPorts(service, pod)
            // A Service with ports none of which this pod serves leaves the pod out (headless without ports keeps it).
            if ports.isEmpty && !(service.spec?.ports ?? []).isEmpty { continue }
            if byPorts[ports] == nil { order.append(ports) }
            byPorts[ports, default: []].append(address)
        }
        groups = order.map { ports in
            Group(ports: ports, addresses: byPorts[ports, default: []].sorted { Self.ipOrder($0.ip, $1.ip) })
        }
    }

    /// The Endpoints object's subsets (terminating pods left out unless published anyway).
    public func subsets(publishNotReadyAddresses: Bool = false) -> [EndpointSubset] {
        groups.compactMap { group in
            let kept = group.addresses.filter { !$0.terminating || publishNotReadyAddresses }
            guard !kept.isEmpty else { return nil }
            let ready = kept.filter(\.ready).map(Self.endpointAddress)
            let notReady = kept.filter { !$0.ready }.map(Self.endpointAddress)
            let ports = group.ports.map {
                EndpointPort(appProtocol: $0.appProtocol, name: ($0.name ?? "").isEmpty ? nil : $0.name, port: $0.port,
                             protocol: $0.protocol)
            }
            return EndpointSubset(addresses: ready.isEmpty ? nil : ready,
                                  notReadyAddresses: notReady.isEmpty ? nil : notReady,
                                  ports: ports.isEmpty ? nil : ports)
        }
    }

    /// The endpoints of one slice group, as `discovery.k8s.io/v1` writes them.
    public static func sliceEndpoints(_ group: Group) -> [Endpoint] {
        group.addresses.map { address in
            Endpoint(addresses: [address.ip],
                     conditions: EndpointConditions(ready: address.ready, serving: address.serving,
                                                    terminating: address.terminating),
                     hostname: address.hostname, nodeName: address.nodeName, targetRef: address.pod)
        }
    }

    // MARK: Rules

    static func takesPart(_ pod: Pod) -> Bool {
        let phase = pod.status?.phase ?? ""
        switch pod.spec?.restartPolicy ?? "Always" {
        case "Never": return phase != "Succeeded" && phase != "Failed"
        case "OnFailure": return phase != "Succeeded"
        default: return true
        }
    }

    static func hostname(of pod: Pod, in service: Service) -> String? {
        guard let hostname = pod.spec?.hostname, !hostname.isEmpty,
              pod.spec?.subdomain == service.metadata?.name else { return nil }
        return hostname
    }

    /// The Service's ports with their target ports resolved on `pod` (ports it cannot resolve left out).
    static func resolvedPorts(_ service: Service, _ pod: Pod) -> [DiscoveryEndpointPort] {
        (service.spec?.ports ?? []).compactMap { port in
            let proto = port.protocol ?? "TCP"
            let number: Int32?
            switch port.targetPort {
            case .int(let value)?: number = value
            case .string(let name)?:
                if let value = Int32(name) {
                    number = value
                } else {
                    number = (pod.spec?.containers ?? []).lazy.flatMap { $0.ports ?? [] }
                        .first { $0.name == name && ($0.protocol ?? "TCP") == proto }?.containerPort
                }
            case nil: number = port.port
            }
            guard let number else { return nil }
            return DiscoveryEndpointPort(appProtocol: port.appProtocol, name: port.name ?? "", port: number, protocol: proto)
        }
    }

    private static func endpointAddress(_ address: Address) -> EndpointAddress {
        EndpointAddress(hostname: address.hostname, ip: address.ip, nodeName: address.nodeName, targetRef: address.pod)
    }

    /// IPv4 addresses in numeric order (others after, by text).
    static func ipOrder(_ a: String, _ b: String) -> Bool {
        let pa = a.split(separator: ".").compactMap { UInt32($0) }, pb = b.split(separator: ".").compactMap { UInt32($0) }
        if pa.count == 4 && pb.count == 4 { return pa.lexicographicallyPrecedes(pb) }
        return a < b
    }
}
