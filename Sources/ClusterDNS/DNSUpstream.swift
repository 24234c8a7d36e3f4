import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The resolver the cluster DNS forwards names outside its zone to — only when the user configured one (by
/// default such names are REFUSED and nothing leaves the node). One UDP exchange per query, relayed as is.
public struct DNSUpstream: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var timeoutMilliseconds: Int

    /// Nil unless `address` is `IPv4[:port]` (port 53 by default).
    public init?(_ address: String, timeoutMilliseconds: Int = 2_000) {
        let parts = address.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), ClusterDNSRecords.ipv4(String(parts[0])) != nil else { return nil }
        let port = parts.count == 2 ? Int(parts[1]) : 53
        guard let port, (1...65535).contains(port) else { return nil }
        self.host = String(parts[0])
        self.port = port
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    /// Sends `query` and returns the upstream's answer with the same id, or nil on timeout or error. Blocking.
    public func exchange(_ query: [UInt8]) -> [UInt8]? {
        guard query.count >= 12 else { return nil }
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr(host)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0, send(fd, query, query.count, 0) == query.count else { return nil }
        let deadline = ContinuousClock.now + .milliseconds(timeoutMilliseconds)
        var buffer = [UInt8](repeating: 0, count: 65_535)
        while ContinuousClock.now < deadline {
            let left = deadline - ContinuousClock.now
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(max(1, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))) == 1 else {
                return nil
            }
            let count = recv(fd, &buffer, buffer.count, 0)
            if count >= 12 && buffer[0] == query[0] && buffer[1] == query[1] { return Array(buffer[0..<count]) }
        }
        return nil
    }
}
