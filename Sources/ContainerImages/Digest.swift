import Crypto
import Foundation

/// A content digest, `sha256:<64 lowercase hex>`: the name of a blob, a manifest, an image config or a layer diff.
///
/// Only sha256 is accepted; anything else fails to parse, so a `Digest` always names a safe file name (`hex`).
public struct Digest: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The 64 lowercase hex characters after `sha256:`.
    public let hex: String

    /// Parses `sha256:<64 lowercase hex>`; nil for anything else.
    public init?(_ string: String) {
        guard string.hasPrefix("sha256:") else { return nil }
        self.init(hex: String(string.dropFirst("sha256:".count)))
    }

    /// A digest from its hex part; nil unless it is exactly 64 lowercase hex characters.
    public init?(hex: String) {
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            return nil
        }
        self.hex = hex
    }

    public var description: String { "sha256:\(hex)" }

    /// The first 12 hex characters, as `docker images` and `crictl images` show an image ID.
    public var short: String { String(hex.prefix(12)) }

    /// The digest of `bytes`.
    public static func of<Bytes: DataProtocol>(_ bytes: Bytes) -> Digest {
        Digest(finishing: SHA256.hash(data: bytes))
    }

    init(finishing hash: SHA256.Digest) {
        self.hex = hash.map { String(format: "%02x", $0) }.joined()
    }

    public static func < (lhs: Digest, rhs: Digest) -> Bool { lhs.hex < rhs.hex }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        guard let digest = Digest(string) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a sha256 digest: \(string)")
        }
        self = digest
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
