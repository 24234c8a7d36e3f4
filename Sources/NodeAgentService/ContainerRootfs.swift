import Foundation
import Glibc

/// A container's root file system: an overlay of the image's unpacked layers (read-only lowers, topmost
/// first) with an upper and work directory of its own, under `<containers>/<id>/`.
///
/// Contract: `mount` is called once per container before it is created; `remove` (after the container is
/// deleted) unmounts it and deletes the container's directory, and succeeds when there is nothing left.
public struct ContainerRootfs: Sendable {
    public let directory: String

    public init(containersDirectory: String, id: String) {
        directory = containersDirectory + "/" + id
    }

    public var merged: String { directory + "/merged" }

    /// The overlay mount options for `layers` (lowest first, as the image store lists them).
    public static func options(layers: [String], upper: String, work: String) -> String {
        "lowerdir=" + layers.reversed().joined(separator: ":") + ",upperdir=\(upper),workdir=\(work)"
    }

    /// Mounts the overlay and returns the merged directory.
    public func mount(layers: [String]) throws -> String {
        let files = FileManager.default
        for name in ["upper", "work", "merged"] {
            try files.createDirectory(atPath: directory + "/" + name, withIntermediateDirectories: true)
        }
        guard !layers.isEmpty else { throw RootfsError("image has no layers") }
        let options = Self.options(layers: layers, upper: directory + "/upper", work: directory + "/work")
        guard Glibc.mount("overlay", merged, "overlay", 0, options) == 0 else {
            throw RootfsError("mount overlay at \(merged): \(String(cString: strerror(errno)))")
        }
        return merged
    }

    /// Unmounts the overlay (if mounted) and removes the container's directory.
    public func remove() {
        _ = umount2(merged, Int32(MNT_DETACH))
        try? FileManager.default.removeItem(atPath: directory)
    }

    public struct RootfsError: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }
}
