import APIModel
import Foundation

/// Writes lists and tables from cached encodings without decoding objects that need no decoding.
enum ListRendering {
    /// `{"kind":"PodList","apiVersion":"v1","metadata":{…},"items":[…]}` with the items spliced in as stored.
    static func list(_ info: ResourceInfo, items: [Data], revision: Int64, continueToken: String?) -> Data {
        var out = Data()
        out.reserveCapacity(items.reduce(128) { $0 + $1.count + 1 })
        out.append(contentsOf: Array("{\"kind\":\"\(info.kind)List\",\"apiVersion\":\"\(info.groupVersion)\",\"metadata\":{\"resourceVersion\":\"\(revision)\"".utf8))
        if let continueToken { out.append(contentsOf: Array(",\"continue\":\"\(continueToken)\"".utf8)) }
        out.append(contentsOf: Array("},\"items\":[".utf8))
        for (i, item) in items.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(item)
        }
        out.append(contentsOf: Array("]}".utf8))
        return out
    }

    enum IncludeObject: String {
        case none = "None"
        case metadata = "Metadata"
        case object = "Object"
    }

    /// A `meta.k8s.io/v1 Table` of the objects.
    static func table(_ resource: any ServedResource, items: [Data], revision: Int64?, continueToken: String?,
                      include: IncludeObject, now: Time, columns: Bool = true) throws -> Data {
        var out = Data()
        out.append(contentsOf: Array("{\"kind\":\"Table\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":{".utf8))
        var meta: [String] = []
        if let revision { meta.append("\"resourceVersion\":\"\(revision)\"") }
        if let continueToken { meta.append("\"continue\":\"\(continueToken)\"") }
        out.append(contentsOf: Array(meta.joined(separator: ",").utf8))
        out.append(contentsOf: Array("},\"columnDefinitions\":".utf8))
        out.append(APIResponse.encode(columns ? resource.tableColumns : []))
        out.append(contentsOf: Array(",\"rows\":[".utf8))
        for (i, item) in items.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            let (cells, metadata) = try resource.tableRow(item, now: now)
            out.append(contentsOf: Array("{\"cells\":".utf8))
            out.append(APIResponse.encode(cells))
            switch include {
            case .none:
                break
            case .metadata:
                out.append(contentsOf: Array(",\"object\":{\"kind\":\"PartialObjectMetadata\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":".utf8))
                out.append(APIResponse.encode(metadata))
                out.append(UInt8(ascii: "}"))
            case .object:
                out.append(contentsOf: Array(",\"object\":".utf8))
                out.append(item)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: Array("]}".utf8))
        return out
    }
}

/// Continue tokens: where a paginated list resumes, and at which revision.
struct ContinueToken: Codable {
    var v = "meta.k8s.io/v1"
    var rv: Int64
    var start: String

    func encoded() -> String {
        APIResponse.encode(self).base64EncodedString()
    }

    static func decode(_ text: String) throws(APIError) -> ContinueToken {
        var padded = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while padded.count % 4 != 0 { padded += "=" }
        guard let data = Data(base64Encoded: padded),
              let token = try? JSONDecoder().decode(ContinueToken.self, from: data), token.rv > 0 else {
            throw APIError.badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
        }
        return token
    }
}
