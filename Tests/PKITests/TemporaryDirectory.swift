import Foundation

/// A fresh directory under the system temporary directory, for one test.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("skiff-pki-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The `tls` directory inside, as the server lays it out (not created).
    var tls: URL { url.appendingPathComponent("tls", isDirectory: true) }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// The permission bits of the file at `url`.
func permissions(of url: URL) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

/// The text of the file at `url`.
func contents(of url: URL) throws -> String {
    String(decoding: try Data(contentsOf: url), as: UTF8.self)
}

let day: TimeInterval = 24 * 60 * 60
