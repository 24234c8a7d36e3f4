#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Linux calls that Swift's Glibc module does not export (`<sys/xattr.h>`, `syncfs`), looked up in the
/// C library at first use.
enum LinuxCalls {
    private typealias SetXattr = @convention(c) (
        UnsafePointer<CChar>, UnsafePointer<CChar>, UnsafeRawPointer?, Int, Int32) -> Int32
    private typealias GetXattr = @convention(c) (UnsafePointer<CChar>, UnsafePointer<CChar>, UnsafeMutableRawPointer?, Int) -> Int
    private typealias SyncFS = @convention(c) (Int32) -> Int32

    private static func symbol<T>(_ name: String, as type: T.Type) -> T? {
        guard let pointer = dlsym(dlopen(nil, RTLD_NOW), name) else { return nil }
        return unsafeBitCast(pointer, to: type)
    }

    private static let setXattr = symbol("lsetxattr", as: SetXattr.self)
    private static let getXattr = symbol("lgetxattr", as: GetXattr.self)
    private static let syncFS = symbol("syncfs", as: SyncFS.self)

    /// `lsetxattr(2)`: sets an extended attribute without following a final symlink. -1 with ENOTSUP when
    /// the C library lacks it.
    static func lsetxattr(_ path: String, _ name: String, _ value: UnsafeRawPointer?, _ size: Int, _ flags: Int32) -> Int32 {
        guard let setXattr else {
            errno = ENOTSUP
            return -1
        }
        return setXattr(path, name, value, size, flags)
    }

    /// `syncfs(2)`: flushes the file system holding `fd`; falls back to `sync()` when the C library lacks it.
    static func syncfs(_ fd: Int32) -> Int32 {
        guard let syncFS else {
            sync()
            return 0
        }
        return syncFS(fd)
    }

    /// `lgetxattr(2)` of a short text attribute; nil when it is not set (or cannot be read).
    static func lgetxattr(_ path: String, _ name: String) -> String? {
        var buffer = [UInt8](repeating: 0, count: 256)
        let size = buffer.withUnsafeMutableBytes { getXattr?(path, name, $0.baseAddress, $0.count) ?? -1 }
        return size >= 0 ? String(decoding: buffer[0..<size], as: UTF8.self) : nil
    }
}
