import Glibc

/// The node's default InternalIP: the first global IPv4 address of a non-loopback interface that is up,
/// else 127.0.0.1.
public enum NodeAddressDetection {
    public static func firstGlobalIPv4() -> String {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return "127.0.0.1" }
        defer { freeifaddrs(list) }
        var candidates: [String] = []
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            let flags = Int32(bitPattern: entry.pointee.ifa_flags)
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET),
                  flags & Int32(IFF_LOOPBACK) == 0, flags & Int32(IFF_UP) != 0 else { continue }
            let text = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer -> String in
                var bytes = pointer.pointee.sin_addr
                var buffer = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
                inet_ntop(AF_INET, &bytes, &buffer, socklen_t(INET_ADDRSTRLEN))
                return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            candidates.append(text)
        }
        return pick(candidates)
    }

    /// The first address that is global (not loopback, not link-local), else 127.0.0.1.
    static func pick(_ addresses: [String]) -> String {
        addresses.first { !$0.hasPrefix("127.") && !$0.hasPrefix("169.254.") } ?? "127.0.0.1"
    }
}
