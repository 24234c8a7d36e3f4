import APIModel
import Foundation
import Yams

/// Turns request bodies of the accepted media types into JSON.
enum RequestBody {
    /// The largest body accepted, as Kubernetes' 3 MiB limit.
    static let maxBytes = 3 * 1024 * 1024

    /// JSON bytes of a create/update body given its Content-Type. A missing Content-Type is taken as JSON
    /// (the Python client sends none).
    static func json(_ body: Data, contentType: String?) throws(APIError) -> Data {
        let type = MediaTypes.essence(contentType)
        switch type {
        case "", MediaTypes.json, "*/*":
            return try checkedJSON(body)
        case MediaTypes.yaml, "application/x-yaml", "text/yaml":
            return try yamlToJSON(body)
        case MediaTypes.protobuf:
            do {
                return try KubernetesProtobuf.decodeToJSON(body)
            } catch {
                switch error.reason {
                case .malformed: throw APIError.badRequest("the body of the request was not valid protobuf: \(error.message)")
                case .unsupportedKind, .unsupportedEncoding: throw APIError.unsupportedMediaType(contentType ?? "")
                case .internalSchema: throw APIError.internalError(error.message)
                }
            }
        default:
            throw APIError.unsupportedMediaType(contentType ?? "")
        }
    }

    /// `body`, which must not be empty. Whether it is a well-formed JSON object is found out by the typed
    /// decoding that follows (a 400 naming the problem), so the body is parsed once.
    static func checkedJSON(_ body: Data) throws(APIError) -> Data {
        guard !body.isEmpty else { throw APIError.badRequest("the body of the request was empty") }
        return body
    }

    /// Converts a YAML document (one object) to JSON.
    static func yamlToJSON(_ body: Data) throws(APIError) -> Data {
        guard let text = String(data: body, encoding: .utf8) else { throw APIError.badRequest("the YAML body is not UTF-8") }
        let value: Any?
        do {
            value = try Yams.load(yaml: text)
        } catch {
            throw APIError.badRequest("error converting YAML to JSON: \(error)")
        }
        guard let object = value.map(jsonCompatible) as? [String: Any] else {
            throw APIError.badRequest("the body of the request must be a YAML mapping")
        }
        do {
            return try JSONSerialization.data(withJSONObject: object)
        } catch {
            throw APIError.badRequest("error converting YAML to JSON: \(error)")
        }
    }

    /// YAML values as JSONSerialization accepts them (dates and binary become strings; keys become strings).
    private static func jsonCompatible(_ value: Any) -> Any {
        switch value {
        case let dict as [AnyHashable: Any]:
            var out: [String: Any] = [:]
            for (k, v) in dict { out["\(k.base)"] = jsonCompatible(v) }
            return out
        case let array as [Any]:
            return array.map(jsonCompatible)
        case let date as Date:
            return ISO8601DateFormatter().string(from: date)
        case let data as Data:
            return data.base64EncodedString()
        case is NSNull, is String, is Bool, is Int, is Double, is Int64:
            return value
        default:
            return "\(value)"
        }
    }
}
