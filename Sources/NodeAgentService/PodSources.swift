import APIClient
import APIModel
import ContainerImages
import Foundation
import NodeAgent

/// The API objects a pod's containers read, fetched when a container starts: the configMaps and secrets its
/// volumes and environment name, and its image pull secrets' registry credentials. Missing objects are
/// simply absent (`PodVolumes` reports missing non-optional ones).
struct PodSources: Sendable {
    var configMaps: [String: ConfigMap] = [:]
    var secrets: [String: Secret] = [:]

    var volumeSources: VolumeSources { VolumeSources(configMaps: configMaps, secrets: secrets) }

    /// The names a pod refers to: (configMaps, secrets).
    static func references(of pod: Pod) -> (configMaps: Set<String>, secrets: Set<String>) {
        var configMaps: Set<String> = []
        var secrets: Set<String> = []
        for volume in pod.spec?.volumes ?? [] {
            if let name = volume.configMap?.name { configMaps.insert(name) }
            if let name = volume.secret?.secretName { secrets.insert(name) }
            for source in volume.projected?.sources ?? [] {
                if let name = source.configMap?.name { configMaps.insert(name) }
                if let name = source.secret?.name { secrets.insert(name) }
            }
        }
        for container in (pod.spec?.initContainers ?? []) + (pod.spec?.containers ?? []) {
            for source in container.envFrom ?? [] {
                if let name = source.configMapRef?.name { configMaps.insert(name) }
                if let name = source.secretRef?.name { secrets.insert(name) }
            }
            for variable in container.env ?? [] {
                if let name = variable.valueFrom?.configMapKeyRef?.name { configMaps.insert(name) }
                if let name = variable.valueFrom?.secretKeyRef?.name { secrets.insert(name) }
            }
        }
        return (configMaps, secrets)
    }

    static func fetch(for pod: Pod, client: KubernetesClient) async -> PodSources {
        let namespace = pod.metadata?.namespace ?? "default"
        let (configMapNames, secretNames) = references(of: pod)
        var sources = PodSources()
        for name in configMapNames {
            sources.configMaps[name] = try? await client.get(ConfigMap.self, name: name, namespace: namespace)
        }
        for name in secretNames {
            sources.secrets[name] = try? await client.get(Secret.self, name: name, namespace: namespace)
        }
        return sources
    }

    /// The registry credentials of the pod's `imagePullSecrets` (dockerconfigjson and dockercfg secrets).
    static func pullCredentials(for pod: Pod, client: KubernetesClient) async -> DockerConfigCredentials {
        var credentials = DockerConfigCredentials.none
        for reference in pod.spec?.imagePullSecrets ?? [] {
            guard let name = reference.name,
                  let secret = try? await client.get(Secret.self, name: name, namespace: pod.metadata?.namespace) else { continue }
            for key in [".dockerconfigjson", ".dockercfg"] {
                if let data = secret.data?[key], let parsed = try? DockerConfigCredentials(json: data, source: key) {
                    credentials = credentials.merging(parsed)
                }
            }
        }
        return credentials
    }
}
