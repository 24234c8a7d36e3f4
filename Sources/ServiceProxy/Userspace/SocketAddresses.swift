import NIOCore

// The NIO socket addresses of listeners and backends. Both are IP literals: parsed, never resolved (a name
// lookup would block an event loop).

extension ListenerAddress {
    func socketAddress() throws -> SocketAddress {
        try SocketAddress(ipAddress: host, port: port)
    }
}

extension ProxiedService.Backend {
    func socketAddress() throws -> SocketAddress {
        try SocketAddress(ipAddress: ip, port: Int(port))
    }
}
