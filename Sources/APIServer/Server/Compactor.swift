import Logging
import Storage

/// Compacts the store's history on a schedule, as Kubernetes does every five minutes: each round compacts up
/// to the revision seen at the previous round, so watches and paginated lists younger than one interval can
/// always resume.
struct Compactor: Sendable {
    let store: any KeyValueStore
    let cache: WatchCache
    let interval: Duration
    let logger: Logger

    func run() async {
        var previous: Revision? = nil
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            do {
                if let previous, previous > 1 {
                    try await store.compact(upTo: previous)
                    cache.noteCompacted(previous)
                    logger.debug("compacted store history up to revision \(previous)")
                }
                previous = try await store.currentRevision()
            } catch {
                logger.warning("compaction failed: \(error)")
            }
        }
    }
}
