import APIModel

/// The API data a pod's volumes read, resolved by the caller (no API calls are made while preparing).
///
/// Contract: `configMaps` and `secrets` are keyed by object name and hold objects of the pod's namespace; a
/// name missing here means the object does not exist. `serviceAccountToken` is the token written by projected
/// `serviceAccountToken` sources; when nil those sources are skipped (no file is written).
public struct VolumeSources: Sendable {
    public var configMaps: [String: ConfigMap]
    public var secrets: [String: Secret]
    public var serviceAccountToken: String?

    public init(configMaps: [String: ConfigMap] = [:], secrets: [String: Secret] = [:],
                serviceAccountToken: String? = nil) {
        self.configMaps = configMaps
        self.secrets = secrets
        self.serviceAccountToken = serviceAccountToken
    }
}
