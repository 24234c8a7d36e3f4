/// One etcd client endpoint: a host (name or IP address) and a port.
public struct EtcdEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `host:port`, with an IPv6 host in brackets.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

/// The etcd endpoints of a `--datastore-endpoint` value.
///
/// Accepted forms: `etcd://host:port[,host:port…]` and `http://host:port[,http://host:port…]` (etcd's own
/// client URL form; each element may repeat the scheme). Hosts are names, IPv4 addresses or bracketed IPv6
/// addresses; the port is required. TLS (`https://`) is not supported yet and is refused.
public struct EtcdEndpoints: Sendable, Hashable {
    /// The endpoints in the order given; the store tries them in this order.
    public var endpoints: [EtcdEndpoint]

    public init(_ endpoints: [EtcdEndpoint]) {
        self.endpoints = endpoints
    }

    /// Parses a `--datastore-endpoint` value; throws `EtcdEndpointError` naming what is wrong.
    public init(parsing value: String) throws {
        let trimmed = value.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw EtcdEndpointError("the etcd endpoint is empty") }
        var endpoints: [EtcdEndpoint] = []
        var first = true
        for element in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            var rest = Substring(element.trimmingWhitespace())
            if let schemeEnd = rest.range(of: "://") {
                let scheme = rest[..<schemeEnd.lowerBound].lowercased()
                guard scheme == "etcd" || scheme == "http" else {
                    throw EtcdEndpointError(
                        "unsupported scheme \"\(scheme)://\" in \"\(value)\": use etcd:// or http://")
                }
                rest = rest[schemeEnd.upperBound...]
            } else if first {
                throw EtcdEndpointError("\"\(value)\" has no scheme: use etcd://host:port[,host:port…]")
            }
            first = false
            if rest.hasSuffix("/") { rest = rest.dropLast() }
            endpoints.append(try Self.parseHostPort(rest, in: value))
        }
        self.endpoints = endpoints
    }

    private static func parseHostPort(_ text: Substring, in value: String) throws -> EtcdEndpoint {
        guard !text.isEmpty else { throw EtcdEndpointError("an empty endpoint in \"\(value)\"") }
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw EtcdEndpointError("\"\(text)\" in \"\(value)\" is not [IPv6-address]:port")
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw EtcdEndpointError("\"\(text)\" in \"\(value)\" has no port: use host:port")
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            guard !host.contains(":") else {
                throw EtcdEndpointError("\"\(text)\" in \"\(value)\": put an IPv6 address in brackets, [address]:port")
            }
        }
        guard !host.isEmpty, !host.contains(where: { $0 == "/" || $0 == "@" || $0 == " " }) else {
            throw EtcdEndpointError("\"\(text)\" in \"\(value)\" has no valid host")
        }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw EtcdEndpointError("\"\(text)\" in \"\(value)\" has no valid port (1-65535)")
        }
        return EtcdEndpoint(host: String(host), port: port)
    }
}

/// A `--datastore-endpoint` value that is not a list of etcd endpoints.
public struct EtcdEndpointError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

extension StringProtocol {
    fileprivate func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
