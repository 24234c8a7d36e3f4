import Foundation
import Synchronization

/// Collects the paths of JSON fields that no model type knows, while a `JSONDecoder` decodes.
///
/// Put one in `JSONDecoder.userInfo[.unknownFieldCollector]`; every generated model type reports the keys
/// it did not recognise. Paths are written as Kubernetes writes them in strict decoding errors:
/// `spec.containers[0].imagez`. Without a collector, decoding skips the check (and unknown fields are dropped).
public final class UnknownFieldCollector: Sendable {
    private let paths = Mutex<[String]>([])

    public init() {}

    /// The unknown field paths in the order they were met.
    public var unknownFields: [String] { paths.withLock { $0 } }

    func record(_ path: String) {
        paths.withLock { $0.append(path) }
    }
}

extension CodingUserInfoKey {
    /// The key under which a decoder's `userInfo` holds an `UnknownFieldCollector`.
    public static let unknownFieldCollector = CodingUserInfoKey(rawValue: "skiff.unknownFieldCollector")!
}

/// A coding key that accepts any string: used to see every key of a JSON object.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

extension Decoder {
    /// Reports to the decoder's `UnknownFieldCollector` (if any) every key of the current JSON object that
    /// `known` cannot represent. Generated model types call this at the end of `init(from:)`.
    package func recordUnknownFields<Keys: CodingKey>(known: Keys.Type) throws {
        guard let collector = userInfo[.unknownFieldCollector] as? UnknownFieldCollector else { return }
        let all = try container(keyedBy: AnyCodingKey.self)
        for key in all.allKeys where Keys(stringValue: key.stringValue) == nil {
            collector.record(Self.fieldPath(codingPath + [key]))
        }
    }

    /// Renders a coding path as `a.b[0].c`.
    static func fieldPath(_ path: [any CodingKey]) -> String {
        var out = ""
        for key in path {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                if !out.isEmpty { out += "." }
                out += key.stringValue
            }
        }
        return out
    }
}
