import Foundation
import Glibc

/// The listening end of runc/crun's `--console-socket`: the runtime connects once and sends the terminal's
/// master side (SCM_RIGHTS) of a container process started with `--tty`.
final class ConsoleSocket: Sendable {
    let path: String
    private let listener: Int32

    /// Listens on a new socket under `directory`.
    init(directory: String) throws(RuntimeError) {
        path = directory + "/console-\(UUID().uuidString.prefix(8)).sock"
        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard listener >= 0 else { throw .system("console socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(listener)
            throw .system("console socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: bytes)
            buffer[bytes.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(listener, 1) == 0 else {
            let message = String(cString: strerror(errno))
            close(listener)
            throw .system("console socket \(path): \(message)")
        }
    }

    deinit {
        close(listener)
        unlink(path)
    }

    /// Waits up to `timeout` for the runtime to connect and send the terminal; blocks the calling thread.
    /// Returns the master fd (close-on-exec), or nil.
    func receiveTerminal(timeout: Duration) -> Int32? {
        var polled = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        guard poll(&polled, 1, milliseconds) == 1 else { return nil }
        let connection = accept(listener, nil, nil)
        guard connection >= 0 else { return nil }
        _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
        defer { close(connection) }
        return Self.receiveDescriptor(connection)
    }

    /// One message with an SCM_RIGHTS control message carrying one fd.
    private static func receiveDescriptor(_ connection: Int32) -> Int32? {
        var data = [UInt8](repeating: 0, count: 4096)
        // cmsghdr (len, level, type) then one int, padded: CMSG_SPACE(sizeof(int)).
        let headerSize = MemoryLayout<cmsghdr>.size
        var control = [UInt8](repeating: 0, count: headerSize + 8)
        let received: Int = data.withUnsafeMutableBytes { dataBuffer in
            control.withUnsafeMutableBytes { controlBuffer in
                var vector = iovec(iov_base: dataBuffer.baseAddress, iov_len: dataBuffer.count)
                return withUnsafeMutablePointer(to: &vector) { vectorPointer in
                    var message = msghdr()
                    message.msg_iov = vectorPointer
                    message.msg_iovlen = 1
                    message.msg_control = controlBuffer.baseAddress
                    message.msg_controllen = controlBuffer.count
                    return recvmsg(connection, &message, Int32(MSG_CMSG_CLOEXEC))
                }
            }
        }
        guard received >= 0 else { return nil }
        return control.withUnsafeBytes { buffer -> Int32? in
            let header = buffer.loadUnaligned(as: cmsghdr.self)
            guard header.cmsg_level == SOL_SOCKET, header.cmsg_type == Int32(SCM_RIGHTS),
                  header.cmsg_len >= headerSize + 4 else { return nil }
            return buffer.loadUnaligned(fromByteOffset: headerSize, as: Int32.self)
        }
    }
}
