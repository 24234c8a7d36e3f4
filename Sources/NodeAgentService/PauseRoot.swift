import ContainerRuntime
import Foundation

/// The root file system of a pod's sandbox container, which runs this very executable as `<exe> pause`.
///
/// The sandbox needs no image: its root is an empty directory, mounted read-only, into which the executable
/// and the directories of the shared libraries this process has loaded (read from `/proc/self/maps`: the
/// Swift runtime of dev builds, glibc, the dynamic loader) are bind-mounted read-only at their own paths. A
/// statically linked release build needs only the executable. The program interpreter is reached through the
/// host's top-level library links (`/lib64 -> usr/lib64` on merged-/usr hosts), recreated in the root by
/// `prepare`, with their targets mounted. Nothing else of the host is visible.
public enum PauseRoot {
    /// Top-level library directories (links recreated in the root); all but `/lib` may hold the interpreter.
    static let libraryRoots = ["/lib", "/lib64", "/lib32", "/libx32"]

    /// Creates the (empty) root directory and the host's top-level library links in it.
    public static func prepare(_ root: String) throws {
        let files = FileManager.default
        try files.createDirectory(atPath: root, withIntermediateDirectories: true)
        for path in libraryRoots {
            guard let target = try? files.destinationOfSymbolicLink(atPath: path) else { continue }
            let link = root + path
            if (try? files.destinationOfSymbolicLink(atPath: link)) == target { continue }
            try? files.removeItem(atPath: link)
            try files.createSymbolicLink(atPath: link, withDestinationPath: target)
        }
    }

    /// The bind mounts for the executable at `executable`, given this process's `/proc/self/maps` and the
    /// directories the program interpreter may be in.
    public static func mounts(executable: String, maps: String, interpreterDirectories: [String] = []) -> [BindMount] {
        var directories = Set(interpreterDirectories)
        for line in maps.split(separator: "\n") {
            guard let slash = line.firstIndex(of: "/") else { continue }
            let path = String(line[slash...])
            guard path.contains(".so"), !path.hasSuffix(" (deleted)") else { continue }
            directories.insert((path as NSString).deletingLastPathComponent)
        }
        // Keep only the outermost directories (a parent's bind mount already shows its children).
        let sorted = directories.sorted()
        var kept: [String] = []
        for directory in sorted where !kept.contains(where: { directory.hasPrefix($0 + "/") }) {
            kept.append(directory)
        }
        return [BindMount(source: executable, destination: executable, readOnly: true)]
            + kept.map { BindMount(source: $0, destination: $0, readOnly: true) }
    }

    /// The whole of a /proc file, read until end of file (such files report a size of 0, and a process's
    /// maps outgrow a single read).
    static func readProcFile(_ path: String) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        var data = Data()
        while let chunk = try? handle.read(upToCount: 65536), !chunk.isEmpty {
            data.append(chunk)
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The mounts for this process: its maps, and the executable given.
    public static func mountsForThisProcess(executable: String) -> [BindMount] {
        let interpreterDirectories = libraryRoots.dropFirst().compactMap { path -> String? in
            let resolved = (path as NSString).resolvingSymlinksInPath
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory)
            return exists && isDirectory.boolValue ? resolved : nil
        }
        return mounts(executable: executable, maps: readProcFile("/proc/self/maps"),
                      interpreterDirectories: interpreterDirectories)
    }
}
