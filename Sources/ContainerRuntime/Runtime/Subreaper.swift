/// Makes this process a child subreaper (`prctl(PR_SET_CHILD_SUBREAPER, 1)`), so that a container's init,
/// orphaned when `runc create` exits, is re-parented to us and its real exit status can be collected with
/// `waitpid`. Process-wide and idempotent.
enum Subreaper {
    private static let setChildSubreaper: Int32 = 36  // PR_SET_CHILD_SUBREAPER

    /// Enables subreaping; returns false if the kernel refused.
    static func enable() -> Bool {
        LinuxCalls.prctl(setChildSubreaper, 1) == 0
    }
}
