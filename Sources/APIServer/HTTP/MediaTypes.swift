import Foundation

/// Content negotiation for request bodies and responses.
enum MediaTypes {
    static let json = "application/json"
    static let yaml = "application/yaml"
    static let protobuf = "application/vnd.kubernetes.protobuf"
    static let jsonPatch = "application/json-patch+json"
    static let mergePatch = "application/merge-patch+json"
    static let strategicMergePatch = "application/strategic-merge-patch+json"
    static let applyPatch = "application/apply-patch+yaml"

    /// The media type of a Content-Type header, lower-cased, without parameters.
    static func essence(_ header: String?) -> String {
        guard let header else { return "" }
        let type = header.split(separator: ";", maxSplits: 1).first.map(String.init) ?? header
        return type.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// Which Table version the Accept header asks for first, if any (`as=Table;v=v1;g=meta.k8s.io`).
    static func wantsTable(_ accept: String?) -> Bool {
        guard let accept else { return false }
        for range in accept.split(separator: ",") {
            let params = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let type = params.first else { continue }
            if params.contains("as=Table") && params.contains("g=meta.k8s.io") && (params.contains("v=v1") || params.contains("v=v1beta1")) {
                return true
            }
            if type == "application/json" || type == "*/*" || type == "application/*" { return false }
        }
        return false
    }
}
