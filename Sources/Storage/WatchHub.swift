import Foundation

/// The watch fan-out shared by every store: it delivers committed events to live watchers and hands each
/// new watcher over from the store's history to live events without gaps or duplicates.
///
/// How a watch starts (`watch(prefix:after:history:)`):
/// 1. Under the hub's lock the watcher is registered in *replaying* mode and the hub notes
///    `through`, the revision of the last event it published. Every event published from then on reaches
///    the watcher, which buffers it while replaying.
/// 2. A task reads the store's history for revisions in `(after, through]` page by page and yields it.
///    Those revisions are committed (a store publishes only after committing), so the history is complete.
/// 3. The watcher drains its buffer, skipping revisions it already yielded, and switches to live mode,
///    where published events are yielded directly.
///
/// Contract for stores: call `publish` only after the events are durable and visible to readers, in
/// ascending revision order, each revision exactly once (calls are serialized by the hub regardless), and
/// create the hub with the store's current revision as `lastPublished`.
package final class WatchHub: Sendable {
    /// Reads a page of stored history: the events for keys with `prefix` whose revision is in
    /// `(after, through]`, ascending, at most `limit` of them (fewer only when no more exist). It must throw
    /// `StoreError.compacted` when `after + 1` is below the compacted revision, even if the page is empty.
    package typealias HistoryReader = @Sendable (
        _ prefix: String, _ after: Revision, _ through: Revision, _ limit: Int
    ) async throws -> [WatchEvent]

    private struct State: Sendable {
        var lastPublished: Revision
        var subscribers: [UInt64: WatchSubscriber] = [:]
        var nextID: UInt64 = 0
        var closed = false
    }

    private let state: Locked<State>
    /// Serializes `publish` calls so that every subscriber sees batches in the order they were published.
    private let publishing = Locked(())
    private let historyPageSize: Int

    /// - Parameters:
    ///   - lastPublished: the store's current revision when the hub is created.
    ///   - historyPageSize: how many history events a replaying watcher reads at a time.
    package init(lastPublished: Revision, historyPageSize: Int = 1000) {
        state = Locked(State(lastPublished: lastPublished))
        self.historyPageSize = max(1, historyPageSize)
    }

    /// The number of registered watchers (for tests: a consumer that stops iterating is unregistered).
    package var subscriberCount: Int {
        state.withLock { $0.subscribers.count }
    }

    /// The revision of the last published event (or the initial revision).
    package var lastPublished: Revision {
        state.withLock { $0.lastPublished }
    }

    /// Starts a watch: history from `history`, then live events, as described on the type. If the hub is
    /// closed the stream throws `StoreError.unavailable` at once. The stream finishes when `close()` is
    /// called; when its consumer stops iterating the watcher is unregistered.
    package func watch(
        prefix: String, after: Revision, history: @escaping HistoryReader
    ) -> AsyncThrowingStream<WatchEvent, Error> {
        let (stream, continuation) = AsyncThrowingStream<WatchEvent, Error>.makeStream()
        let subscriber = WatchSubscriber(prefix: prefix, after: after, continuation: continuation)
        let registration: (id: UInt64, through: Revision)? = state.withLock { state in
            guard !state.closed else { return nil }
            let id = state.nextID
            state.nextID += 1
            state.subscribers[id] = subscriber
            return (id, state.lastPublished)
        }
        guard let registration else {
            continuation.finish(throwing: StoreError.unavailable("store closed"))
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            subscriber.markDone()
            self?.remove(registration.id)
        }
        let pageSize = historyPageSize
        Task {
            await subscriber.replay(through: registration.through, pageSize: pageSize, history: history)
        }
        return stream
    }

    /// Delivers committed events (ascending revisions) to every registered watcher whose prefix matches.
    package func publish(_ events: [WatchEvent]) {
        guard let last = events.last else { return }
        publishing.withLock { _ in
            let subscribers = state.withLock { state in
                state.lastPublished = max(state.lastPublished, last.revision)
                return Array(state.subscribers.values)
            }
            for subscriber in subscribers {
                subscriber.deliver(events)
            }
        }
    }

    /// Finishes every watch stream (normally) and refuses new watches. Idempotent.
    package func close() {
        let subscribers = state.withLock { state in
            state.closed = true
            let all = Array(state.subscribers.values)
            state.subscribers.removeAll()
            return all
        }
        for subscriber in subscribers {
            subscriber.finish(throwing: nil)
        }
    }

    private func remove(_ id: UInt64) {
        _ = state.withLock { $0.subscribers.removeValue(forKey: id) }
    }
}

/// One watcher: its prefix, its stream and where it is in the history-to-live handoff.
final class WatchSubscriber: Sendable {
    private enum Phase: Sendable {
        /// Reading history; live events wait in the buffer.
        case replaying(buffer: [WatchEvent])
        /// Yielding published events directly.
        case live
        /// Finished, failed or abandoned by its consumer: nothing more is yielded.
        case done
    }

    private struct State: Sendable {
        var phase: Phase = .replaying(buffer: [])
        /// The revision of the last event yielded (initially the watch's `after`); nothing at or below it is
        /// yielded again.
        var lastYielded: Revision
    }

    let prefix: String
    private let after: Revision
    private let continuation: AsyncThrowingStream<WatchEvent, Error>.Continuation
    private let state: Locked<State>

    init(prefix: String, after: Revision, continuation: AsyncThrowingStream<WatchEvent, Error>.Continuation) {
        self.prefix = prefix
        self.after = after
        self.continuation = continuation
        state = Locked(State(lastYielded: after))
    }

    /// Replays `(after, through]` from the store, then drains the buffer and goes live.
    func replay(through: Revision, pageSize: Int, history: WatchHub.HistoryReader) async {
        var cursor = after
        do {
            while cursor < through {
                if isDone { return }
                let page = try await history(prefix, cursor, through, pageSize)
                let stillReplaying = state.withLock { state -> Bool in
                    guard case .replaying = state.phase else { return false }
                    for event in page where event.revision > state.lastYielded {
                        yield(event, &state)
                    }
                    return true
                }
                guard stillReplaying, page.count >= pageSize, let last = page.last else { break }
                cursor = last.revision
            }
        } catch {
            finish(throwing: error)
            return
        }
        state.withLock { state in
            guard case .replaying(let buffer) = state.phase else { return }
            state.phase = .live
            for event in buffer where event.revision > state.lastYielded {
                yield(event, &state)
            }
        }
    }

    /// Takes published events: buffers them while replaying, yields them when live.
    func deliver(_ events: [WatchEvent]) {
        let matching = prefix.isEmpty ? events : events.filter { KeyOrder.hasPrefix($0.kv.key, prefix) }
        guard !matching.isEmpty else { return }
        state.withLock { state in
            switch state.phase {
            case .replaying(var buffer):
                state.phase = .done  // Avoids copying the buffer on append.
                buffer.append(contentsOf: matching)
                state.phase = .replaying(buffer: buffer)
            case .live:
                for event in matching where event.revision > state.lastYielded {
                    yield(event, &state)
                }
            case .done:
                break
            }
        }
    }

    /// Stops yielding; called when the consumer goes away.
    func markDone() {
        state.withLock { $0.phase = .done }
    }

    /// Ends the stream, with an error (mapped to `StoreError`) or normally.
    func finish(throwing error: (any Error)?) {
        state.withLock { $0.phase = .done }
        // Outside the lock: finishing runs `onTermination`, which takes this lock and the hub's.
        if let error {
            continuation.finish(throwing: StoreError.wrapping(error))
        } else {
            continuation.finish()
        }
    }

    private var isDone: Bool {
        state.withLock { state in
            if case .done = state.phase { return true }
            return false
        }
    }

    private func yield(_ event: WatchEvent, _ state: inout State) {
        state.lastYielded = event.revision
        if case .terminated = continuation.yield(event) {
            state.phase = .done
        }
    }
}
