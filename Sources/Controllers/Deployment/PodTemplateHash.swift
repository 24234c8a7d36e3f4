import APIModel
import Foundation

/// The `pod-template-hash` that names a Deployment's ReplicaSets and tells their pods apart (Kubernetes'
/// `ComputeHash` and `EqualIgnoreHash`).
///
/// The hash is 32-bit FNV-1a over the template's canonical encoding — JSON with sorted keys, the template as the
/// Deployment holds it, without any `pod-template-hash` label — followed by the collision count as 8 bytes (the
/// count as little-endian UInt32, then 4 zero bytes; nothing when it is nil), written as a decimal number whose
/// digits are mapped to the consonants and digits Kubernetes' `rand.SafeEncodeString` uses (no vowels, so no words).
/// The same template and count always give the same hash; the value differs from upstream's, which hashes Go's
/// object dump.
public enum PodTemplateHash {
    /// The label key added to a ReplicaSet's selector, template and pods.
    public static let labelKey = "pod-template-hash"

    private static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    /// The hash of `template` with `collisionCount`.
    public static func compute(_ template: PodTemplateSpec?, collisionCount: Int32?) -> String {
        var bytes = canonicalEncoding(withoutHash(template))
        if let collisionCount {
            let count = UInt32(bitPattern: collisionCount)
            bytes += [UInt8(count & 0xff), UInt8((count >> 8) & 0xff), UInt8((count >> 16) & 0xff), UInt8(count >> 24), 0, 0, 0, 0]
        }
        return safeEncode(String(fnv1a32(bytes)))
    }

    /// Whether two templates are the same but for their `pod-template-hash` labels.
    public static func equalIgnoringHash(_ a: PodTemplateSpec?, _ b: PodTemplateSpec?) -> Bool {
        withoutHash(a) == withoutHash(b)
    }

    /// 32-bit FNV-1a.
    static func fnv1a32(_ bytes: [UInt8]) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in bytes {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return hash
    }

    /// Each character replaced by the alphabet's character at its code modulo the alphabet's size.
    static func safeEncode(_ text: String) -> String {
        String(text.utf8.map { alphabet[Int($0) % alphabet.count] })
    }

    private static func withoutHash(_ template: PodTemplateSpec?) -> PodTemplateSpec? {
        guard var template else { return nil }
        template.metadata?.labels?.removeValue(forKey: labelKey)
        if template.metadata?.labels?.isEmpty == true { template.metadata?.labels = nil }
        return template
    }

    private static func canonicalEncoding(_ template: PodTemplateSpec?) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(template)) ?? Data())
    }
}
