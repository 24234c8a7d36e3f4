/// A member name from a layer tar, cleaned: relative to the layer root, with no `.`, `..` or empty components.
///
/// `./usr/bin/` and `usr//bin` both clean to `usr/bin`; `./` cleans to the root itself (no components).
/// Absolute names and names with a `..` component are rejected rather than reinterpreted, so nothing a layer
/// says can land outside the directory it is unpacked into.
struct LayerPath: Equatable {
    let components: [String]

    init(_ raw: String) throws {
        if raw.hasPrefix("/") { throw ImageStoreError.unsafePath(raw) }
        let parts = raw.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        if parts.contains("..") { throw ImageStoreError.unsafePath(raw) }
        components = parts.map(String.init)
    }

    private init(components: [String]) { self.components = components }

    var isRoot: Bool { components.isEmpty }
    var name: String { components.last ?? "" }
    var parent: LayerPath { LayerPath(components: Array(components.dropLast())) }

    /// The path of a sibling called `name` (a whiteout's target).
    func sibling(_ name: String) -> LayerPath { LayerPath(components: Array(components.dropLast()) + [name]) }

    /// The path under `root` (a directory path without trailing slash).
    func under(_ root: String) -> String {
        components.isEmpty ? root : root + "/" + components.joined(separator: "/")
    }
}
