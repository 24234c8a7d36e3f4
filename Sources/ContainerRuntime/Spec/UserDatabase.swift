/// A rootfs' `/etc/passwd` and `/etc/group`, parsed, for resolving an image's `User` by name and a uid's
/// primary group. Pure: the caller reads the files (missing files are empty).
public struct UserDatabase: Hashable, Sendable {
    struct Entry: Hashable, Sendable {
        var name: String
        var id: UInt32
        var groupID: UInt32
    }

    var users: [Entry]
    var groups: [Entry]

    /// No entries: only numeric users resolve.
    public static let empty = UserDatabase(passwd: "", group: "")

    /// Parses `name:password:uid:gid:…` (passwd) and `name:password:gid:members` (group) lines; malformed
    /// lines and comments are skipped.
    public init(passwd: String, group: String) {
        users = Self.parse(passwd, minimumFields: 4) { fields in
            guard let uid = UInt32(fields[2]), let gid = UInt32(fields[3]) else { return nil }
            return Entry(name: String(fields[0]), id: uid, groupID: gid)
        }
        groups = Self.parse(group, minimumFields: 3) { fields in
            guard let gid = UInt32(fields[2]) else { return nil }
            return Entry(name: String(fields[0]), id: gid, groupID: gid)
        }
    }

    /// The primary group of `uid`, if the passwd file lists it.
    public func primaryGroup(ofUID uid: UInt32) -> UInt32? {
        users.first { $0.id == uid }?.groupID
    }

    /// Resolves an image `User` string (`uid`, `uid:gid`, `name`, `name:group`) to numeric ids. Without a group
    /// the user's primary group from passwd is used, or 0. Throws for names that are not listed.
    public func resolve(_ user: String) throws(SpecError) -> (uid: UInt32, gid: UInt32) {
        let parts = user.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let userPart = String(parts[0])
        let uid: UInt32
        if let numeric = UInt32(userPart) {
            uid = numeric
        } else if let entry = users.first(where: { $0.name == userPart }) {
            uid = entry.id
        } else {
            throw .unknownUser(user)
        }
        guard parts.count == 2 else { return (uid, primaryGroup(ofUID: uid) ?? 0) }
        let groupPart = String(parts[1])
        if let numeric = UInt32(groupPart) { return (uid, numeric) }
        guard let group = groups.first(where: { $0.name == groupPart }) else { throw .unknownUser(user) }
        return (uid, group.id)
    }

    private static func parse(_ text: String, minimumFields: Int,
                              _ entry: ([Substring]) -> Entry?) -> [Entry] {
        text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#") else { return nil }
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            return fields.count >= minimumFields ? entry(fields) : nil
        }
    }
}
