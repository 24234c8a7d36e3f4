import APIModel
import Foundation

/// The files of a downwardAPI volume (or projected source), from the pod's own metadata.
///
/// Contract: each item's `fieldRef.fieldPath` is one of `metadata.name`, `metadata.namespace`, `metadata.uid`,
/// `metadata.labels`, `metadata.annotations`, `metadata.labels['<key>']`, `metadata.annotations['<key>']`.
/// A whole map is written as the kubelet's `FormatMap`: `key="value"` lines sorted by key (bytewise), values
/// quoted as Go's `%q` (`GoFormatting.quoted`), no trailing newline; a missing subscripted key is an empty file.
/// Other field paths throw `VolumeError.unsupportedField`; `resourceFieldRef` items throw
/// `VolumeError.unsupportedVolume` (not yet).
enum DownwardAPIFiles {
    static func payload(_ items: [DownwardAPIVolumeFile]?, defaultMode: Int32, metadata: ObjectMeta,
                        volume: String) throws -> [String: FileProjection] {
        try KeyProjection.validateMode(defaultMode, volume: volume)
        var files: [String: FileProjection] = [:]
        for item in items ?? [] {
            guard let fieldPath = item.fieldRef?.fieldPath else {
                throw VolumeError.unsupportedVolume(volume, reason: "downwardAPI item \"\(item.path ?? "")\" "
                    + "needs a fieldRef (resourceFieldRef is not supported yet)")
            }
            let mode = item.mode ?? defaultMode
            try KeyProjection.validateMode(mode, volume: volume)
            let value = try self.value(of: fieldPath, in: metadata, volume: volume)
            files[item.path ?? ""] = FileProjection(data: Data(value.utf8), mode: mode)
        }
        return files
    }

    /// The text of `fieldPath` for `metadata`.
    static func value(of fieldPath: String, in metadata: ObjectMeta, volume: String) throws -> String {
        switch fieldPath {
        case "metadata.name": return metadata.name ?? ""
        case "metadata.namespace": return metadata.namespace ?? ""
        case "metadata.uid": return metadata.uid ?? ""
        case "metadata.labels": return formatMap(metadata.labels ?? [:])
        case "metadata.annotations": return formatMap(metadata.annotations ?? [:])
        default: break
        }
        for (prefix, map) in [("metadata.labels", metadata.labels), ("metadata.annotations", metadata.annotations)] {
            if let key = subscriptKey(fieldPath, of: prefix) { return map?[key] ?? "" }
        }
        throw VolumeError.unsupportedField(fieldPath, volume: volume)
    }

    /// The kubelet's `fieldpath.FormatMap`.
    static func formatMap(_ map: [String: String]) -> String {
        map.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            .map { "\($0)=\(GoFormatting.quoted(map[$0] ?? ""))" }
            .joined(separator: "\n")
    }

    /// `key` of `<prefix>['key']`, nil when `fieldPath` is not of that form.
    private static func subscriptKey(_ fieldPath: String, of prefix: String) -> String? {
        let opening = prefix + "['"
        guard fieldPath.hasPrefix(opening), fieldPath.hasSuffix("']"), fieldPath.count > opening.count + 2 else {
            return nil
        }
        return String(fieldPath.dropFirst(opening.count).dropLast(2))
    }
}
