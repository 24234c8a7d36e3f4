import Crypto
import Foundation

/// How an agent that joins with only the cluster token (no CA file) knows it talks to the cluster's server:
/// the server hands out its CA certificate together with an HMAC-SHA256 of it keyed by the token. Only a party
/// that knows the token can produce it, so the agent trusts the CA only when the proof checks out, and sends
/// the token to nobody before that (the CA is fetched without credentials).
public enum JoinProof {
    /// The proof for `caPEM` under `token`, as lowercase hex.
    public static func proof(caPEM: String, token: String) -> String {
        let key = SymmetricKey(data: SHA256.hash(data: Data(("skiff-join-proof:" + token).utf8)))
        let code = HMAC<SHA256>.authenticationCode(for: Data(caPEM.utf8), using: key)
        return code.map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `proof` is the proof of `caPEM` under `token` (compared in constant time).
    public static func verify(_ proof: String, caPEM: String, token: String) -> Bool {
        let expected = Array(Self.proof(caPEM: caPEM, token: token).utf8)
        let given = Array(proof.lowercased().utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
