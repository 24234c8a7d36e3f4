/// Runs `total` calls of `operation` in batches of growing size — 1, 2, 4, … (from `initialBatchSize`) — the calls
/// of a batch concurrently, stopping after the first batch in which any call failed (Kubernetes'
/// `slowStartBatch`), so that a failing create costs one request rather than hundreds.
///
/// - Returns: how many calls succeeded, and the first error, if any.
func slowStartBatch(total: Int, initialBatchSize: Int = 1,
                    _ operation: @escaping @Sendable () async throws -> Void) async -> (successes: Int, error: (any Error)?) {
    var remaining = total
    var successes = 0
    var batchSize = min(remaining, max(1, initialBatchSize))
    while batchSize > 0 {
        let (succeeded, error) = await withTaskGroup(of: (any Error)?.self) { group in
            for _ in 0..<batchSize {
                group.addTask {
                    do { try await operation(); return nil } catch { return error }
                }
            }
            var succeeded = 0
            var firstError: (any Error)?
            for await result in group {
                if let result { firstError = firstError ?? result } else { succeeded += 1 }
            }
            return (succeeded, firstError)
        }
        successes += succeeded
        if let error { return (successes, error) }
        remaining -= batchSize
        batchSize = min(2 * batchSize, remaining)
    }
    return (successes, nil)
}
