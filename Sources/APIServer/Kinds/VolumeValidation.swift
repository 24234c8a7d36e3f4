import APIModel

/// Validation of a pod spec's `volumes`, as Kubernetes' `ValidateVolumes`: DNS-label names, unique, exactly
/// one source each, and the common sources' required fields and modes.
enum VolumeValidation {
    static let hostPathTypes = ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File",
                                "FileOrCreate", "Socket"]
    static let fileModeMessage = "must be a number between 0 and 0777 (octal), both inclusive"

    /// The errors, and the names of the valid volumes (which volume mounts may refer to).
    static func volumes(_ volumes: [Volume], _ path: String) -> (names: Set<String>, errors: [FieldError]) {
        var names = Set<String>()
        var errors: [FieldError] = []
        for (i, volume) in volumes.enumerated() {
            let p = "\(path)[\(i)]"
            var own = source(volume, p)
            let name = volume.name ?? ""
            if name.isEmpty {
                own.append(.required("\(p).name"))
            } else {
                own += FieldChecks.dns1123Label(name, "\(p).name")
            }
            if names.contains(name) { own.append(.duplicate("\(p).name", GoSyntax.string(name))) }
            if own.isEmpty { names.insert(name) } else { errors += own }
        }
        return (names, errors)
    }

    private static func source(_ v: Volume, _ path: String) -> [FieldError] {
        let present = VolumeSources.present(in: v)
        guard let first = present.first else { return [.required(path, "must specify a volume type")] }
        var errors = present.dropFirst().map { FieldError.forbidden("\(path).\($0)", "may not specify more than 1 volume type") }
        switch first {
        case "hostPath":
            let hostPath = v.hostPath?.path ?? ""
            if hostPath.isEmpty {
                errors.append(.required("\(path).hostPath.path"))
            } else {
                errors += noBacksteps(hostPath, "\(path).hostPath.path")
                if let type = v.hostPath?.type, !hostPathTypes.contains(type) {
                    errors.append(.notSupported("\(path).hostPath.type", type, supported: hostPathTypes))
                }
            }
        case "secret":
            if (v.secret?.secretName ?? "").isEmpty { errors.append(.required("\(path).secret.secretName")) }
            errors += fileMode(v.secret?.defaultMode, "\(path).secret.defaultMode")
            errors += keyToPaths(v.secret?.items ?? [], "\(path).secret.items")
        case "configMap":
            if (v.configMap?.name ?? "").isEmpty { errors.append(.required("\(path).configMap.name")) }
            errors += fileMode(v.configMap?.defaultMode, "\(path).configMap.defaultMode")
            errors += keyToPaths(v.configMap?.items ?? [], "\(path).configMap.items")
        case "persistentVolumeClaim":
            if (v.persistentVolumeClaim?.claimName ?? "").isEmpty {
                errors.append(.required("\(path).persistentVolumeClaim.claimName"))
            }
        case "emptyDir":
            if let limit = v.emptyDir?.sizeLimit, limit.signum() < 0 {
                errors.append(.forbidden("\(path).emptyDir.sizeLimit", "SizeLimit field must be a valid resource quantity"))
            }
        default:
            break
        }
        return errors
    }

    private static func fileMode(_ mode: Int32?, _ path: String) -> [FieldError] {
        guard let mode, mode < 0 || mode > 0o777 else { return [] }
        return [.invalidValue(path, String(mode), fileModeMessage)]
    }

    private static func keyToPaths(_ items: [KeyToPath], _ path: String) -> [FieldError] {
        var errors: [FieldError] = []
        for (i, item) in items.enumerated() {
            let p = "\(path)[\(i)]"
            if (item.key ?? "").isEmpty { errors.append(.required("\(p).key")) }
            let target = item.path ?? ""
            if target.isEmpty { errors.append(.required("\(p).path")) }
            errors += localDescendingPath(target, "\(p).path")
            if target.hasPrefix("..") { errors.append(.invalid("\(p).path", target, "must not start with '..'")) }
            errors += fileMode(item.mode, "\(p).mode")
        }
        return errors
    }

    /// A relative path without `..` elements (sub-paths, projected file paths).
    static func localDescendingPath(_ target: String, _ path: String) -> [FieldError] {
        var errors: [FieldError] = []
        if target.hasPrefix("/") { errors.append(.invalid(path, target, "must be a relative path")) }
        return errors + noBacksteps(target, path)
    }

    private static func noBacksteps(_ target: String, _ path: String) -> [FieldError] {
        target.split(separator: "/", omittingEmptySubsequences: false).contains("..")
            ? [.invalid(path, target, "must not contain '..'")] : []
    }
}
