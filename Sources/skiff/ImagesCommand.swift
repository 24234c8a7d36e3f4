import ArgumentParser
import ContainerImages
import Foundation
import Logging

/// `skiff images`: the node's image store under `<data-dir>/images` (pull from registries, import archives,
/// list, remove).
struct ImagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "images",
        abstract: "Manage the node's image store (registry pulls, docker-archive and oci-archive tarballs).",
        subcommands: [Pull.self, Import.self, List.self, Remove.self])

    /// `--data-dir`, shared by the subcommands; the store is `<data-dir>/images`.
    struct StoreOptions: ParsableArguments {
        @Option(name: .customLong("data-dir"), help: "Skiff's data folder (default /var/lib/skiff as root, ~/.skiff otherwise).")
        var dataDir: String?

        /// The store; it logs only warnings, as the commands print what they did.
        var store: ImageStore {
            var logger = Logger(label: "skiff.images")
            logger.logLevel = .warning
            return ImageStore(root: URL(fileURLWithPath: dataDir ?? DataDirectory.defaultPath()).appendingPathComponent("images"),
                              logger: logger)
        }
    }

    struct Pull: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pull an image from its registry (HTTPS; plain HTTP for localhost and 127.0.0.0/8 only).")

        @Argument(help: "The image: busybox:1.36, 127.0.0.1:5000/team/app:1.0, name@sha256:….")
        var reference: String

        @Option(name: .customLong("docker-config"),
                help: "Registry credentials: a .dockerconfigjson or ~/.docker/config.json ({\"auths\":{…}}).")
        var dockerConfig: String?

        @OptionGroup var options: StoreOptions

        func run() async throws {
            var credentials = DockerConfigCredentials.none
            if let dockerConfig {
                guard let data = FileManager.default.contents(atPath: dockerConfig) else {
                    throw ValidationError("cannot read \(dockerConfig)")
                }
                credentials = try DockerConfigCredentials(json: data, source: dockerConfig)
            }
            let record = try await options.store.pull(reference: reference, credentials: credentials)
            print("pulled \(record.reference) \(record.digestReference)")
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import the images of a docker-archive or oci-archive tarball (gzip allowed).")

        @Argument(help: "The archive file (docker save, skopeo copy …:docker-archive or oci-archive).")
        var file: String

        @Option(name: .customLong("name"), help: "Name for images the archive does not name (and repository for bare OCI tags).")
        var name: String?

        @OptionGroup var options: StoreOptions

        func run() throws {
            for record in try options.store.import(archive: URL(fileURLWithPath: file), defaultName: name) {
                print("imported \(record.reference) \(record.manifestDigest)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List stored images.")

        @OptionGroup var options: StoreOptions

        func run() throws {
            let rows = try options.store.list().map { record -> [String] in
                let reference = record.parsedReference
                return [reference?.name ?? record.reference, reference?.tag ?? "", record.id.short,
                        ByteCountFormatter.string(fromByteCount: record.size, countStyle: .binary)]
            }
            print(ImagesCommand.table(header: ["IMAGE", "TAG", "IMAGE ID", "SIZE"], rows: rows), terminator: "")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rm", abstract: "Remove an image reference and the content no other image uses.")

        @Argument(help: "busybox:1.36, docker.io/library/busybox:1.36, name@sha256:…, or an image ID.")
        var reference: String

        @OptionGroup var options: StoreOptions

        func run() throws {
            for record in try options.store.remove(reference: reference) {
                print("removed \(record.reference)")
            }
        }
    }

    /// Left-aligned columns separated by three spaces, as `crictl images` prints them.
    private static func table(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "   ") + "\n"
        }.joined()
    }
}
