import APIModel
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Building responses: JSON bodies, `Status` errors and `Warning` headers.
enum APIResponse {
    static func json(_ data: Data, status: Int = 200, contentType: String = MediaTypes.json,
                     warnings: [String] = [], extraHeaders: HTTPFields = [:]) -> Response {
        var headers = extraHeaders
        headers[.contentType] = contentType
        for warning in warnings {
            headers.append(HTTPField(name: .warning, value: "299 - \"\(warning.replacingOccurrences(of: "\"", with: "\\\""))\""))
        }
        headers[.cacheControl] = headers[.cacheControl] ?? "no-cache, private"
        return Response(status: HTTPResponse.Status(code: status), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func encodable<T: Encodable>(_ value: T, status: Int = 200, warnings: [String] = []) -> Response {
        json(encode(value), status: status, warnings: warnings)
    }

    static func error(_ error: APIError) -> Response {
        json(encode(error.status), status: error.code)
    }

    static func encode<T: Encodable>(_ value: T) -> Data {
        (try? ModelJSON.encode(value)) ?? Data("{}".utf8)
    }

    static func text(_ text: String, status: Int = 200) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: HTTPResponse.Status(code: status), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

extension HTTPField.Name {
    static let warning = HTTPField.Name("Warning")!
}
