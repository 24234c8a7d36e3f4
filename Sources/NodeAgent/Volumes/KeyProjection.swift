import APIModel
import Foundation

/// The files of a configMap or secret volume (or projected source): one per key, or one per `items` entry.
///
/// Contract (the kubelet's `MakePayload`):
/// - A missing object (`data` nil) yields no files when `optional`, else `VolumeError.objectNotFound`.
/// - Without `items` every key becomes a file named after it with `defaultMode`.
/// - With `items` only those keys are written, at `item.path` with `item.mode ?? defaultMode`; a key the object
///   lacks is skipped when `optional`, else `VolumeError.keyNotFound`.
/// - Modes must be within 0...0777; paths are validated by the writer.
enum KeyProjection {
    /// The kubelet's default for configMap, secret, downwardAPI and projected volumes.
    static let defaultMode: Int32 = 0o644

    struct Source {
        /// "configMap" or "secret", for messages.
        var kind: String
        var name: String
        /// The object's keys, nil when it does not exist.
        var data: [String: Data]?
        var items: [KeyToPath]?
        var optional: Bool
    }

    static func payload(_ source: Source, defaultMode: Int32, volume: String) throws -> [String: FileProjection] {
        guard let data = source.data else {
            if source.optional { return [:] }
            throw VolumeError.objectNotFound(kind: source.kind, name: source.name, volume: volume)
        }
        try validateMode(defaultMode, volume: volume)
        guard let items = source.items, !items.isEmpty else {
            return data.mapValues { FileProjection(data: $0, mode: defaultMode) }
        }
        var files: [String: FileProjection] = [:]
        for item in items {
            let key = item.key ?? ""
            guard let value = data[key] else {
                if source.optional { continue }
                throw VolumeError.keyNotFound(kind: source.kind, name: source.name, key: key, volume: volume)
            }
            let mode = item.mode ?? defaultMode
            try validateMode(mode, volume: volume)
            files[item.path ?? key] = FileProjection(data: value, mode: mode)
        }
        return files
    }

    /// Throws `VolumeError.invalidMode` unless `mode` is within 0...0777.
    static func validateMode(_ mode: Int32, volume: String) throws {
        guard (0...0o777).contains(mode) else { throw VolumeError.invalidMode(mode, volume: volume) }
    }
}

extension KeyProjection.Source {
    /// A configMap's `data` (UTF-8) and `binaryData` keys; nil `configMap` means it does not exist.
    init(configMap: ConfigMap?, name: String, items: [KeyToPath]?, optional: Bool?) {
        let data = configMap.map { object in
            (object.data ?? [:]).mapValues { Data($0.utf8) }.merging(object.binaryData ?? [:]) { text, _ in text }
        }
        self.init(kind: "configMap", name: name, data: data, items: items, optional: optional ?? false)
    }

    /// A secret's `data` keys, with `stringData` (write-only, normally already merged by the API) on top.
    init(secret: Secret?, name: String, items: [KeyToPath]?, optional: Bool?) {
        let data = secret.map { object in
            (object.data ?? [:]).merging((object.stringData ?? [:]).mapValues { Data($0.utf8) }) { _, string in string }
        }
        self.init(kind: "secret", name: name, data: data, items: items, optional: optional ?? false)
    }
}
