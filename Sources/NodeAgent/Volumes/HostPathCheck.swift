import Foundation

/// The kubelet's hostPath `type` check (`pkg/volume/hostpath`), run before the path is mounted.
///
/// Contract, by `type`:
/// - `""` (or nil): nothing is checked.
/// - `DirectoryOrCreate`: creates the directory (mode 0755, parents too) when nothing is there, else it must be
///   a directory. `FileOrCreate`: creates an empty file (0644, parent directories 0755) when nothing is there,
///   else it must be a file.
/// - `Directory`, `File`, `Socket`, `CharDevice`, `BlockDevice`: the path must exist and be of that type
///   (symlinks followed). As in the kubelet, `File` accepts any non-directory (sockets and devices too).
/// - Any other type throws `VolumeError.invalidHostPathType`.
enum HostPathCheck {
    static func check(_ path: String, type: String?) throws {
        let existing = FileSystem.type(of: path)
        func fail(_ reason: String) -> VolumeError { .hostPathCheckFailed(path: path, reason: reason) }
        func require(_ expected: FileSystem.FileType, _ reason: String) throws {
            guard let existing else { throw fail("does not exist") }
            if existing != expected { throw fail(reason) }
        }
        switch type ?? "" {
        case "":
            return
        case "DirectoryOrCreate":
            guard existing != nil else { return try FileSystem.makeDirectory(path) }
            try require(.directory, "is not a directory")
        case "Directory":
            try require(.directory, "is not a directory")
        case "FileOrCreate":
            guard existing != nil else {
                try FileSystem.makeDirectory((path as NSString).deletingLastPathComponent)
                return try FileSystem.createEmptyFile(path)
            }
            if existing == .directory { throw fail("is not a file") }
        case "File":
            guard existing != nil else { throw fail("does not exist") }
            if existing == .directory { throw fail("is not a file") }
        case "Socket":
            try require(.socket, "is not a socket file")
        case "CharDevice":
            try require(.characterDevice, "is not a character device")
        case "BlockDevice":
            try require(.blockDevice, "is not a block device")
        default:
            throw VolumeError.invalidHostPathType(type ?? "")
        }
    }
}
