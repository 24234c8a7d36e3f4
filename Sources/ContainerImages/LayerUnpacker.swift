import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Writes the members of one layer tar into an empty directory, in the form overlayfs reads as a lower layer.
///
/// Contract:
/// - Every member lands under `root`: names are cleaned by ``LayerPath`` (absolute and `..` names throw
///   ``ImageStoreError/unsafePath(_:)``), and a member whose parent is a symlink throws too, so a layer cannot
///   write through a link it planted. Hardlinks must point at an earlier member of the same layer.
/// - OCI whiteouts become overlayfs whiteouts: `.wh.<name>` → a 0/0 character device `<name>` (skipped when the
///   layer itself has `<name>`: whiteouts hide only lower layers), `.wh..wh..opq` → xattr
///   `trusted.overlay.opaque=y` on its directory. Both need root; without it, a layer with whiteouts throws
///   ``ImageStoreError/needsRoot(_:)``.
/// - Modes (with setuid/setgid/sticky), modification times and, as root, owners and `SCHILY.xattr` attributes are
///   kept. Devices are created only as root (skipped otherwise); directory modes and times are applied last.
/// - ``finish()`` flushes the whole file system (`syncfs`) so the caller can rename the directory into place.
struct LayerUnpacker {
    let root: String
    let isPrivileged: Bool
    /// Devices not created because the process is not root.
    private(set) var skippedDevices = 0
    private var directories: [String: TarEntry] = [:]

    init(root: URL, isPrivileged: Bool = geteuid() == 0) {
        self.root = root.path
        self.isPrivileged = isPrivileged
    }

    /// Unpacks every member `reader` yields.
    mutating func unpack(_ reader: inout TarReader) throws {
        while let entry = try reader.next() {
            try apply(entry, &reader)
        }
    }

    /// Applies the deferred directory modes and times, then flushes the file system.
    func finish() throws {
        for (path, entry) in directories.sorted(by: { $0.key.count > $1.key.count }) {
            try setMetadata(path, entry)
        }
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw ImageStoreError.posix("open", root) }
        defer { close(fd) }
        guard LinuxCalls.syncfs(fd) == 0 else { throw ImageStoreError.posix("syncfs", root) }
    }

    private mutating func apply(_ entry: TarEntry, _ reader: inout TarReader) throws {
        let path = try LayerPath(entry.path)
        if path.name == ".wh..wh..opq" {
            return try markOpaque(path.parent)
        }
        if path.name.hasPrefix(".wh..wh.") { return }  // Other aufs metadata (.wh..wh.plnk, …) has no meaning here.
        if path.name.hasPrefix(".wh.") {
            return try whiteOut(path.sibling(String(path.name.dropFirst(4))))
        }
        if path.isRoot {
            guard entry.kind == .directory else { throw ImageStoreError.unsafePath(entry.path) }
            directories[root] = entry
            return
        }
        try ensureParent(of: path)
        let target = path.under(root)
        try removeExisting(target, keepingDirectory: entry.kind == .directory)
        if entry.kind != .directory { directories[target] = nil }
        switch entry.kind {
        case .directory:
            if mkdir(target, 0o700) != 0, errno != EEXIST { throw ImageStoreError.posix("mkdir", target) }
            directories[target] = entry
            return
        case .file:
            try writeFile(target, entry, &reader)
        case .symbolicLink:
            guard symlink(entry.linkTarget, target) == 0 else { throw ImageStoreError.posix("symlink", target) }
        case .hardLink:
            let source = try LayerPath(entry.linkTarget)
            try checkNoSymlinkParents(source)
            guard linkat(AT_FDCWD, source.under(root), AT_FDCWD, target, 0) == 0 else {
                throw ImageStoreError.posix("link \(entry.linkTarget) to", target)
            }
            return  // A hardlink shares its target's inode and metadata.
        case .characterDevice, .blockDevice, .fifo:
            guard try makeNode(target, entry) else { return }
        }
        try setMetadata(target, entry)
    }

    private func writeFile(_ path: String, _ entry: TarEntry, _ reader: inout TarReader) throws {
        let file = try OpenFile(path: path, flags: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: 0o600)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 1)
        defer { buffer.deallocate() }
        while true {
            let read = try reader.readContent(buffer)
            if read == 0 { break }
            try file.write(UnsafeRawBufferPointer(rebasing: buffer[0..<read]))
        }
    }

    /// Creates a device or FIFO; returns false when a device was skipped for lack of root.
    private mutating func makeNode(_ path: String, _ entry: TarEntry) throws -> Bool {
        let type: mode_t
        switch entry.kind {
        case .characterDevice: type = S_IFCHR
        case .blockDevice: type = S_IFBLK
        default: type = S_IFIFO
        }
        if type != S_IFIFO, !isPrivileged {
            skippedDevices += 1
            return false
        }
        let device = LayerUnpacker.device(major: entry.deviceMajor, minor: entry.deviceMinor)
        guard mknod(path, type | 0o600, device) == 0 else { throw ImageStoreError.posix("mknod", path) }
        return true
    }

    private func whiteOut(_ path: LayerPath) throws {
        guard !path.isRoot, !path.name.isEmpty, path.name != ".", path.name != ".." else {
            throw ImageStoreError.unsafePath(".wh.\(path.name)")
        }
        try ensureParent(of: path)
        let target = path.under(root)
        var info = stat()
        if lstat(target, &info) == 0 { return }  // The layer has this name itself; whiteouts hide lower layers only.
        guard isPrivileged else {
            throw ImageStoreError.needsRoot("layer whites out \(path.components.joined(separator: "/")) (a 0/0 device)")
        }
        guard mknod(target, S_IFCHR, 0) == 0 else { throw ImageStoreError.posix("mknod whiteout", target) }
    }

    private mutating func markOpaque(_ directory: LayerPath) throws {
        guard isPrivileged else {
            throw ImageStoreError.needsRoot("layer makes \(directory.components.joined(separator: "/")) opaque (a trusted. xattr)")
        }
        let target = directory.under(root)
        if !directory.isRoot {
            try ensureParent(of: directory)
            if mkdir(target, 0o755) != 0, errno != EEXIST { throw ImageStoreError.posix("mkdir", target) }
        }
        guard LinuxCalls.lsetxattr(target, "trusted.overlay.opaque", "y", 1, 0) == 0 else {
            throw ImageStoreError.posix("setxattr trusted.overlay.opaque", target)
        }
    }

    /// Creates missing parent directories (mode 0755 unless a later member says otherwise); throws if a parent
    /// is a symlink or not a directory.
    private func ensureParent(of path: LayerPath) throws {
        var current = root
        for component in path.components.dropLast() {
            current += "/" + component
            var info = stat()
            if lstat(current, &info) != 0 {
                guard errno == ENOENT else { throw ImageStoreError.posix("lstat", current) }
                guard mkdir(current, 0o755) == 0 else { throw ImageStoreError.posix("mkdir", current) }
                continue
            }
            guard info.st_mode & S_IFMT == S_IFDIR else { throw ImageStoreError.unsafePath(path.components.joined(separator: "/")) }
        }
    }

    private func checkNoSymlinkParents(_ path: LayerPath) throws {
        var current = root
        for component in path.components.dropLast() {
            current += "/" + component
            var info = stat()
            guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
                throw ImageStoreError.unsafePath(path.components.joined(separator: "/"))
            }
        }
    }

    /// Makes room for a new member at `path`: a member named twice replaces the earlier one (a directory stays
    /// when the new member is a directory too).
    private func removeExisting(_ path: String, keepingDirectory: Bool) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        let isDirectory = info.st_mode & S_IFMT == S_IFDIR
        if isDirectory, keepingDirectory { return }
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw ImageStoreError.fileSystem(operation: "remove", path: path, reason: "\(error)")
        }
    }

    private func setMetadata(_ path: String, _ entry: TarEntry) throws {
        let isLink = entry.kind == .symbolicLink
        if isPrivileged {
            guard lchown(path, uid_t(entry.uid), gid_t(entry.gid)) == 0 else { throw ImageStoreError.posix("chown", path) }
            for (name, value) in entry.extendedAttributes {
                _ = value.withUnsafeBytes { LinuxCalls.lsetxattr(path, name, $0.baseAddress, $0.count, 0) }  // Best effort.
            }
        }
        // chown clears setuid/setgid, so the mode comes after it; symlinks have no mode of their own.
        if !isLink, chmod(path, mode_t(entry.mode)) != 0 { throw ImageStoreError.posix("chmod", path) }
        let time = timespec(tv_sec: Int(entry.modificationTime), tv_nsec: 0)
        let times = [time, time]
        guard utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW) == 0 else { throw ImageStoreError.posix("utimensat", path) }
    }

    /// glibc's `makedev`.
    static func device(major: UInt32, minor: UInt32) -> dev_t {
        let major = UInt64(major), minor = UInt64(minor)
        return dev_t((major & 0xfffff000) << 32 | (major & 0xfff) << 8 | (minor & 0xffffff00) << 12 | (minor & 0xff))
    }
}
