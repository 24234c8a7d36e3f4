extension WorkQueue {
    /// Runs `count` workers (at least one) until the queue shuts down: each takes a key, `sync`s it, forgets its
    /// failures when that succeeds and requeues it with rate-limited backoff when it throws (after telling
    /// `failed`), and marks it done — so one key is never synced by two workers at once.
    public func runWorkers(_ count: Int, sync: @escaping @Sendable (Key) async throws -> Void,
                           failed: @escaping @Sendable (Key, any Error) -> Void = { _, _ in }) async {
        await withTaskGroup(of: Void.self) { workers in
            for _ in 0..<max(1, count) {
                workers.addTask {
                    while let key = await self.next() {
                        do {
                            try await sync(key)
                            self.forget(key)
                        } catch {
                            failed(key, error)
                            self.addRateLimited(key)
                        }
                        self.done(key)
                    }
                }
            }
        }
    }
}
