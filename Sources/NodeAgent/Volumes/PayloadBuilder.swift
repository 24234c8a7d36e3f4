import APIModel
import Foundation

/// Computes the files of one configMap, secret, downwardAPI or projected volume from the pod's API data.
///
/// Contract: paths are validated here, so a bad `items` path fails before anything is written. Projected
/// sources are merged in order (a later source wins a path), under the projected `defaultMode` (0644 when
/// unset); a `serviceAccountToken` source writes `sources.serviceAccountToken` at its `path`, or nothing when no
/// token was passed in.
struct PayloadBuilder {
    let volume: String
    let sources: VolumeSources
    let metadata: ObjectMeta

    func payload(_ source: ConfigMapVolumeSource) throws -> [String: FileProjection] {
        try validated(configMapFiles(source.name, items: source.items, optional: source.optional,
                                     defaultMode: source.defaultMode))
    }

    func payload(_ source: SecretVolumeSource) throws -> [String: FileProjection] {
        try validated(secretFiles(source.secretName, items: source.items, optional: source.optional,
                                  defaultMode: source.defaultMode))
    }

    func payload(_ source: DownwardAPIVolumeSource) throws -> [String: FileProjection] {
        let mode = source.defaultMode ?? KeyProjection.defaultMode
        return try validated(DownwardAPIFiles.payload(source.items, defaultMode: mode, metadata: metadata,
                                                      volume: volume))
    }

    func payload(_ source: ProjectedVolumeSource) throws -> [String: FileProjection] {
        let mode = source.defaultMode ?? KeyProjection.defaultMode
        var files: [String: FileProjection] = [:]
        for projection in source.sources ?? [] {
            let next: [String: FileProjection]
            if let configMap = projection.configMap {
                next = try configMapFiles(configMap.name, items: configMap.items, optional: configMap.optional,
                                          defaultMode: mode)
            } else if let secret = projection.secret {
                next = try secretFiles(secret.name, items: secret.items, optional: secret.optional, defaultMode: mode)
            } else if let downwardAPI = projection.downwardAPI {
                next = try DownwardAPIFiles.payload(downwardAPI.items, defaultMode: mode, metadata: metadata,
                                                    volume: volume)
            } else if let token = projection.serviceAccountToken {
                next = try tokenFile(token, defaultMode: mode)
            } else {
                throw VolumeError.unsupportedVolume(volume, reason: "projected source of an unsupported type")
            }
            files.merge(next) { _, later in later }
        }
        return try validated(files)
    }

    private func configMapFiles(_ name: String?, items: [KeyToPath]?, optional: Bool?,
                                defaultMode: Int32?) throws -> [String: FileProjection] {
        let name = name ?? ""
        let source = KeyProjection.Source(configMap: sources.configMaps[name], name: name, items: items,
                                          optional: optional)
        return try KeyProjection.payload(source, defaultMode: defaultMode ?? KeyProjection.defaultMode, volume: volume)
    }

    private func secretFiles(_ name: String?, items: [KeyToPath]?, optional: Bool?,
                             defaultMode: Int32?) throws -> [String: FileProjection] {
        let name = name ?? ""
        let source = KeyProjection.Source(secret: sources.secrets[name], name: name, items: items, optional: optional)
        return try KeyProjection.payload(source, defaultMode: defaultMode ?? KeyProjection.defaultMode, volume: volume)
    }

    private func tokenFile(_ projection: ServiceAccountTokenProjection,
                           defaultMode: Int32) throws -> [String: FileProjection] {
        guard let token = sources.serviceAccountToken else { return [:] }
        try KeyProjection.validateMode(defaultMode, volume: volume)
        return [projection.path ?? "": FileProjection(data: Data(token.utf8), mode: defaultMode)]
    }

    private func validated(_ files: [String: FileProjection]) throws -> [String: FileProjection] {
        for path in files.keys { try VolumePath.validate(path) }
        return files
    }
}
