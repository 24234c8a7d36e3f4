/// The kubelet's CPU conversions (pkg/kubelet/cm, helpers_linux.go).
public enum CPUResources {
    /// The CFS period every container gets, in microseconds.
    public static let quotaPeriod: UInt64 = 100_000
    static let minShares: UInt64 = 2
    static let maxShares: UInt64 = 262_144
    static let sharesPerCPU: Int64 = 1024
    static let minQuota: Int64 = 1000

    /// `cpu.shares` for a request in milli-CPU: `milliCPU * 1024 / 1000`, clamped to 2 … 262144 (0 → 2).
    public static func shares(milliCPU: Int64) -> UInt64 {
        guard milliCPU > 0 else { return minShares }
        let shares = (milliCPU * sharesPerCPU) / 1000
        return min(max(UInt64(max(shares, 0)), minShares), maxShares)
    }

    /// The CFS quota for a limit in milli-CPU over `period`: `milliCPU * period / 1000`, at least 1000 µs;
    /// `nil` when there is no limit.
    public static func quota(milliCPU: Int64, period: UInt64 = quotaPeriod) -> Int64? {
        guard milliCPU > 0 else { return nil }
        return max(milliCPU * Int64(period) / 1000, minQuota)
    }
}
