import Foundation

/// The naming of rotated log files, shared by the writer (`LogRotation`) and the reader
/// (`ContainerLogReader`). The live file is `<path>` (e.g. `0.log`); when it is rotated it is renamed to
/// `<path>.<n>` where `n` is one more than the highest `n` present (starting at 1), so a higher number is newer.
/// (The kubelet appends a timestamp instead; a sequence number orders the same without a clock.)
enum RotatedLogFiles {
    /// The rotated files of `path` with their numbers, oldest first.
    static func list(_ path: String) -> [(number: Int, path: String)] {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let prefix = url.lastPathComponent + "."
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix(prefix), let number = Int(name.dropFirst(prefix.count)), number > 0 else {
                return nil
            }
            return (number, directory + "/" + name)
        }.sorted { $0.0 < $1.0 }
    }

    /// Every file of the log at `path`, oldest first: the rotated ones, then `path` itself.
    static func all(_ path: String) -> [String] { list(path).map(\.path) + [path] }

    /// The name the live file takes when it is rotated next.
    static func nextRotatedPath(_ path: String) -> String { "\(path).\((list(path).last?.number ?? 0) + 1)" }
}
