import Foundation

/// The members of an (uncompressed) image archive tar, indexed by cleaned path, read in place with `pread`.
///
/// Symlinks and hardlinks between members are followed (docker-archive's legacy `<id>/layer.tar` links to
/// `<diffid>.tar`), but only to other members: nothing outside the archive is ever read.
struct ArchiveMembers {
    private struct Member {
        var offset: Int64
        var size: Int64
        var link: String?
    }

    let file: OpenFile
    private var members: [String: Member] = [:]

    /// Reads every header of the tar file at `path`.
    init(path: String) throws {
        file = try OpenFile(path: path)
        var reader = TarReader(try FileSlice(file: file))
        while let entry = try reader.next() {
            guard let name = try? LayerPath(entry.path), !name.isRoot else { continue }
            let key = name.components.joined(separator: "/")
            switch entry.kind {
            case .file: members[key] = Member(offset: reader.position, size: entry.size)
            case .symbolicLink:
                guard let target = ArchiveMembers.resolve(entry.linkTarget, from: name) else { continue }
                members[key] = Member(offset: 0, size: 0, link: target)
            case .hardLink:
                guard let target = try? LayerPath(entry.linkTarget) else { continue }
                members[key] = Member(offset: 0, size: 0, link: target.components.joined(separator: "/"))
            default: continue
            }
        }
    }

    /// Whether a file member (after links) has this path.
    func contains(_ path: String) -> Bool { (try? member(path)) != nil }

    /// The content of the member at `path` as a stream.
    func open(_ path: String) throws -> FileSlice {
        let member = try member(path)
        return try FileSlice(file: file, offset: member.offset, length: member.size)
    }

    /// The member's size in bytes.
    func size(_ path: String) throws -> Int64 { try member(path).size }

    /// The whole content of a small member (a JSON document).
    func read(_ path: String, limit: Int64 = 16 << 20) throws -> Data {
        let member = try member(path)
        guard member.size <= limit else { throw ImageStoreError.invalidArchive("\(path) is too large (\(member.size) bytes)") }
        var slice = try open(path)
        var data = Data(capacity: Int(member.size))
        try slice.drain { data.append(contentsOf: $0) }
        return data
    }

    private func member(_ path: String) throws -> Member {
        var key = (try? LayerPath(path))?.components.joined(separator: "/") ?? path
        for _ in 0..<16 {
            guard let member = members[key] else { break }
            guard let link = member.link else { return member }
            key = link
        }
        throw ImageStoreError.invalidArchive("the archive has no file \(path)")
    }

    /// A symlink target as a cleaned member path, or nil when it points outside the archive.
    private static func resolve(_ target: String, from name: LayerPath) -> String? {
        var components = target.hasPrefix("/") ? [] : name.parent.components
        for part in target.split(separator: "/") where part != "." {
            if part == ".." {
                guard !components.isEmpty else { return nil }
                components.removeLast()
            } else {
                components.append(String(part))
            }
        }
        return components.joined(separator: "/")
    }
}
