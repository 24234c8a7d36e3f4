/// One member of a tar stream, with the pax and GNU extensions (long names, long link names, xattrs,
/// large sizes) already folded in.
struct TarEntry: Equatable {
    enum Kind: Equatable {
        case file, hardLink, symbolicLink, characterDevice, blockDevice, directory, fifo
    }

    /// The member's name as stored (may start with `./`; ``LayerPath`` cleans and checks it).
    var path: String
    var kind: Kind
    /// Permission bits including setuid, setgid and sticky (`mode & 0o7777`).
    var mode: UInt32
    var uid: Int
    var gid: Int
    /// Bytes of content that follow the header (0 for everything but files).
    var size: Int64
    /// Modification time, seconds since the epoch.
    var modificationTime: Int64
    /// A symlink's target, or the member a hardlink points to.
    var linkTarget: String
    var deviceMajor: UInt32
    var deviceMinor: UInt32
    /// Extended attributes from pax `SCHILY.xattr.<name>` records.
    var extendedAttributes: [String: [UInt8]]
}
