import Foundation

/// One file of a volume payload: its bytes and permission bits.
struct FileProjection: Hashable, Sendable {
    var data: Data
    var mode: Int32
}

/// Writes a payload (relative path → file) into a directory so that a reader sees the whole old set of files or
/// the whole new one, never a mix, with the layout of the kubelet's `AtomicWriter`:
///
/// ```
/// <dir>/..2026_11_25_08_57_00.123456789.AB12CD34/   the files of this version
/// <dir>/..data -> ..2026_11_25_08_57_00.123456789.AB12CD34
/// <dir>/<key>  -> ..data/<key>                       one link per first path element
/// ```
///
/// Contract: every path is validated first (`VolumePath.validate`), so a bad payload changes nothing. A write
/// makes a new timestamped directory, swaps `..data` to it with one `rename(2)`, adds links for new first
/// elements, removes links no longer in the payload and then the old version's directory. Writing the payload
/// the current version already holds (same paths, bytes and modes) changes nothing, as in the kubelet.
struct AtomicWriter: Sendable {
    static let dataDirName = "..data"
    static let dataDirTempName = "..data_tmp"

    let directory: String

    func write(_ payload: [String: FileProjection], now: Date) throws {
        for path in payload.keys { try VolumePath.validate(path) }
        try FileSystem.makeDirectory(directory)
        let dataLink = "\(directory)/\(Self.dataDirName)"
        let oldVersion = FileSystem.readLink(dataLink)
        if let oldVersion, Self.holds(payload, in: "\(directory)/\(oldVersion)") { return }

        let version = Self.versionName(now)
        let versionDir = "\(directory)/\(version)"
        try FileSystem.makeDirectory(versionDir)
        for (path, file) in payload {
            let target = "\(versionDir)/\(path)"
            try FileSystem.makeDirectory((target as NSString).deletingLastPathComponent)
            try FileSystem.writeFile(target, data: file.data, mode: file.mode)
        }

        let tempLink = "\(directory)/\(Self.dataDirTempName)"
        try FileSystem.remove(tempLink)
        try FileSystem.symlink(tempLink, to: version)
        try FileSystem.rename(tempLink, to: dataLink)

        let visible = Set(payload.keys.map(VolumePath.firstElement))
        for name in visible where !FileSystem.entryExists("\(directory)/\(name)") {
            try FileSystem.symlink("\(directory)/\(name)", to: "\(Self.dataDirName)/\(name)")
        }
        for name in try FileSystem.contents(of: directory) where !name.hasPrefix("..") && !visible.contains(name) {
            try FileSystem.remove("\(directory)/\(name)")
        }
        if let oldVersion, oldVersion != version { try FileSystem.remove("\(directory)/\(oldVersion)") }
    }

    /// Whether the version directory `versionDir` holds exactly `payload`: the same regular files, bytes and modes.
    static func holds(_ payload: [String: FileProjection], in versionDir: String) -> Bool {
        guard let walker = FileManager.default.enumerator(atPath: versionDir) else { return false }
        var files = 0
        while let path = walker.nextObject() as? String {
            if FileSystem.type(of: "\(versionDir)/\(path)") == .directory { continue }
            files += 1
            let attributes = try? FileManager.default.attributesOfItem(atPath: "\(versionDir)/\(path)")
            guard let file = payload[path], attributes?[.posixPermissions] as? Int == Int(file.mode),
                  FileManager.default.contents(atPath: "\(versionDir)/\(path)") == file.data else { return false }
        }
        return files == payload.count
    }

    /// `..<UTC yyyy_MM_dd_HH_mm_ss>.<nanoseconds>.<random>`: the kubelet's timestamped name, made unique.
    static func versionName(_ now: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: now)
        func pad(_ value: Int?, _ width: Int) -> String {
            let digits = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let stamp = [pad(c.year, 4), pad(c.month, 2), pad(c.day, 2), pad(c.hour, 2), pad(c.minute, 2), pad(c.second, 2)]
            .joined(separator: "_")
        let random = UUID().uuidString.prefix(8)
        return "..\(stamp).\(pad(c.nanosecond, 9)).\(random)"
    }
}
