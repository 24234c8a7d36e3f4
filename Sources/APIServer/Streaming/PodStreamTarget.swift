import APIModel

/// The node and container a `pods/log` or `pods/exec` request goes to, found as Kubernetes'
/// `LogLocation`/`ExecLocation` find them: the pod (404 if missing), the container (defaulted when the pod
/// has exactly one, else named and checked), and the pod's node and where it listens.
struct PodStreamTarget {
    let pod: Pod
    let container: String
    /// Nil for a pod not bound to a node yet.
    let endpoint: NodeEndpoint?

    /// Reads the pod and, if it is bound, its node through `read` (a fresh read of the watch cache).
    static func resolve(namespace: String, name: String, container requested: String?,
                        connection: NodeConnection?, read: PodStreamReads) async throws(APIError) -> PodStreamTarget {
        let pod: Pod = try await read.object(.pods, namespace: namespace, name: name)
        let container = try validContainer(requested, pod: pod)
        return PodStreamTarget(pod: pod, container: container, endpoint: try await endpoint(of: pod, connection: connection, read: read))
    }

    /// Where the node of `pod` listens; nil for a pod not bound to a node.
    static func endpoint(of pod: Pod, connection: NodeConnection?, read: PodStreamReads) async throws(APIError) -> NodeEndpoint? {
        guard let nodeName = pod.spec?.nodeName, !nodeName.isEmpty else { return nil }
        guard let connection else {
            throw APIError.serviceUnavailable("this server has no connection to nodes")
        }
        let node: Node = try await read.object(.nodes, namespace: nil, name: nodeName)
        guard let endpoint = connection.locate(node) else {
            throw APIError.badRequest("node \(nodeName) has no address to reach its kubelet at")
        }
        return endpoint
    }

    /// The container named (it must be one of the pod's containers, init or ephemeral), or the only one.
    static func validContainer(_ requested: String?, pod: Pod) throws(APIError) -> String {
        let name = pod.metadata?.name ?? ""
        let regular = (pod.spec?.containers ?? []).compactMap(\.name)
        let all = (pod.spec?.initContainers ?? []).compactMap(\.name) + regular
            + (pod.spec?.ephemeralContainers ?? []).compactMap(\.name)
        guard let requested, !requested.isEmpty else {
            switch regular.count {
            case 1: return regular[0]
            case 0: throw APIError.badRequest("a container name must be specified for pod \(name)")
            default:
                throw APIError.badRequest("a container name must be specified for pod \(name), choose one of: "
                                          + "[\(all.joined(separator: " "))]")
            }
        }
        guard all.contains(requested) else {
            throw APIError.badRequest("container \(requested) is not valid for pod \(name)")
        }
        return requested
    }
}

/// Fresh reads of single objects from the watch cache, for the streaming subresources.
struct PodStreamReads {
    enum Kind {
        case pods, nodes
    }

    let handler: ResourceHandler
    let registry: ResourceRegistry

    func object<T: Decodable>(_ kind: Kind, namespace: String?, name: String) async throws(APIError) -> T {
        let plural = kind == .pods ? "pods" : "nodes"
        guard let info = registry.resource(group: "", version: "v1", plural: plural)?.info else {
            throw APIError.internalError("\(plural) are not served")
        }
        try await handler.freshRead(nil)
        guard let cached = handler.cache.get(info.key(namespace: namespace, name: name), bucket: info.keyPrefix) else {
            throw APIError.notFound(info, name: name)
        }
        do {
            return try ModelJSON.decode(T.self, from: cached.data)
        } catch {
            throw APIError.internalError("stored \(info.singular): \(error)")
        }
    }
}
