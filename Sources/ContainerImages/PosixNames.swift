#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `read(2)`, under a name that methods called `read` do not shadow.
func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}

/// `rename(2)`, under a name that methods called `rename` do not shadow.
func posixRename(_ source: String, _ destination: String) -> Int32 {
    rename(source, destination)
}
