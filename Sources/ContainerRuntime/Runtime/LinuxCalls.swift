import Glibc

/// glibc calls that Swift's Glibc module does not import (`_GNU_SOURCE` declarations, variadic functions),
/// reached through `dlsym` with fixed-arity signatures (integer and pointer arguments are passed the same way
/// to variadic and fixed functions on the Linux ABIs Swift supports).
enum LinuxCalls {
    private static func symbol<Function>(_ name: String, as type: Function.Type) -> Function? {
        guard let pointer = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(pointer, to: type)
    }

    /// `prctl(option, argument, 0, 0, 0)`; -1 if unavailable.
    static func prctl(_ option: Int32, _ argument: UInt) -> Int32 {
        typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
        return symbol("prctl", as: Prctl.self)?(option, argument, 0, 0, 0) ?? -1
    }

    /// `pipe2(fds, flags)`; -1 if unavailable.
    static func pipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32 {
        typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
        return symbol("pipe2", as: Pipe2.self)?(fds, flags) ?? -1
    }

    /// `posix_spawn_file_actions_addclosefrom_np(actions, from)` (glibc 2.34+): the child closes every
    /// descriptor from `from` on; false if unavailable.
    static func addCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Bool {
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        return symbol("posix_spawn_file_actions_addclosefrom_np", as: AddCloseFrom.self)?(actions, from) == 0
    }

    /// `ioctl(fd, TIOCSWINSZ, {rows, columns})`: sets a terminal's size; -1 if unavailable.
    static func setWindowSize(_ fd: Int32, rows: UInt16, columns: UInt16) -> Int32 {
        typealias Ioctl = @convention(c) (Int32, UInt, UnsafeMutableRawPointer) -> Int32
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        return withUnsafeMutableBytes(of: &size) { buffer in
            symbol("ioctl", as: Ioctl.self)?(fd, UInt(TIOCSWINSZ), buffer.baseAddress!) ?? -1
        }
    }
}
