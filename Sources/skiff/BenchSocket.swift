import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Blocking IPv4 socket probes for the benches that measure a node's network from inside its namespace. Each
/// call is bounded by its timeout; callers run them off Swift concurrency's threads (`BenchThreads`).
enum BenchSocket {
    /// Whether a TCP connection to `ip:port` opens within `timeoutMilliseconds`.
    static func connects(_ ip: String, _ port: Int, timeoutMilliseconds: Int32) -> Bool {
        guard let fd = connected(ip, port, timeoutMilliseconds: timeoutMilliseconds) else { return false }
        close(fd)
        return true
    }

    /// One HTTP/1.0 GET of `/`: true when the answer starts `HTTP/1.x 200` (read to its end).
    static func get(_ ip: String, _ port: Int, timeoutMilliseconds: Int32) -> Bool {
        guard let fd = connected(ip, port, timeoutMilliseconds: timeoutMilliseconds) else { return false }
        defer { close(fd) }
        var timeout = timeval(tv_sec: Int(timeoutMilliseconds / 1000), tv_usec: Int(timeoutMilliseconds % 1000) * 1000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let request = Array("GET / HTTP/1.0\r\n\r\n".utf8)
        guard send(fd, request, request.count, Int32(MSG_NOSIGNAL)) == request.count else { return false }
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            if head.count < 16 { head += buffer[0..<min(count, 16)] }
        }
        let status = String(decoding: head, as: UTF8.self)
        return status.hasPrefix("HTTP/1.") && status.dropFirst(9).hasPrefix("200")
    }

    private static func connected(_ ip: String, _ port: Int, timeoutMilliseconds: Int32) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = socketAddress(ip, port)
        let started = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if started != 0 && errno != EINPROGRESS {
            close(fd)
            return nil
        }
        var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard poll(&poller, 1, timeoutMilliseconds) == 1,
              getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0, error == 0 else {
            close(fd)
            return nil
        }
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags & ~Int32(O_NONBLOCK))
        return fd
    }

    private static func socketAddress(_ ip: String, _ port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr(ip)
        return address
    }
}

/// Runs blocking work on threads of its own, so Swift concurrency's few threads stay free.
enum BenchThreads {
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: body()) }
        }
    }
}
