import Foundation
import Storage

/// Consumes a watch stream in a task and lets a check wait, without sleeping, until a number of events
/// arrived. `stop()` cancels the consumer (the store must then unregister the watcher).
public final class WatchCollector: Sendable {
    /// What a waiter waits for.
    private enum Goal: Sendable {
        case count(Int)
        case revision(Revision)

        func isReached(by events: [WatchEvent]) -> Bool {
            switch self {
            case .count(let count): return events.count >= count
            case .revision(let revision): return (events.last?.revision ?? Revision.min) >= revision
            }
        }
    }

    private struct Waiter: Sendable {
        let goal: Goal
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State: Sendable {
        var events: [WatchEvent] = []
        /// Set when the stream ended: nil error for a normal finish.
        var ended: (any Error)?? = nil
        var waiters: [UInt64: Waiter] = [:]
        var nextWaiter: UInt64 = 0
        /// Waiters whose timeout fired before they registered.
        var timedOut: Set<UInt64> = []
    }

    private let state = Locked(State())
    private let task: Task<Void, Never>

    public init(_ stream: AsyncThrowingStream<WatchEvent, Error>) {
        let state = self.state
        task = Task {
            do {
                for try await event in stream {
                    Self.update(state) { $0.events.append(event) }
                }
                Self.update(state) { $0.ended = .some(nil) }
            } catch {
                Self.update(state) { $0.ended = .some(error) }
            }
        }
    }

    /// The events received so far.
    public var events: [WatchEvent] {
        state.withLock { $0.events }
    }

    /// Waits until at least `count` events arrived and returns all events received; throws
    /// `ConformanceFailure` if the stream ends first (with its error, if any) or `timeout` passes.
    @discardableResult
    public func waitForEvents(
        _ count: Int, timeout: Duration = StoreConformance.watchTimeout,
        file: StaticString = #filePath, line: UInt = #line
    ) async throws -> [WatchEvent] {
        try await wait(for: .count(count), "\(count) watch events", timeout: timeout, file: file, line: line)
    }

    /// Waits until an event with revision `revision` or later arrived and returns all events received;
    /// throws `ConformanceFailure` if the stream ends first or `timeout` passes. Checks that know the
    /// revision of their last expected event use this: a lost event then fails at once, not at the timeout.
    @discardableResult
    public func waitForRevision(
        _ revision: Revision, timeout: Duration = StoreConformance.watchTimeout,
        file: StaticString = #filePath, line: UInt = #line
    ) async throws -> [WatchEvent] {
        try await wait(for: .revision(revision), "revision \(revision)", timeout: timeout, file: file, line: line)
    }

    private func wait(
        for goal: Goal, _ what: String, timeout: Duration, file: StaticString, line: UInt
    ) async throws -> [WatchEvent] {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        let timer = Task { [state] in
            try? await Task.sleep(for: timeout)
            if Task.isCancelled { return }
            let waiter = state.withLock { state in
                let waiter = state.waiters.removeValue(forKey: id)
                if waiter == nil { state.timedOut.insert(id) }
                return waiter
            }
            waiter?.continuation.resume()
        }
        defer { timer.cancel() }
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state in
                if goal.isReached(by: state.events) || state.ended != nil || state.timedOut.remove(id) != nil {
                    return true
                }
                state.waiters[id] = Waiter(goal: goal, continuation: continuation)
                return false
            }
            if ready { continuation.resume() }
        }
        let (events, ended) = state.withLock { ($0.events, $0.ended) }
        if goal.isReached(by: events) { return events }
        let reason: String
        switch ended {
        case .some(.some(let error)): reason = "the stream failed with \(error)"
        case .some(.none): reason = "the stream finished"
        case .none: reason = "timed out after \(timeout)"
        }
        throw ConformanceFailure(
            "waiting for \(what): \(reason) after \(events.count) events: \(Self.describe(events))",
            file: file, line: line)
    }

    /// Waits until the stream ends and returns its error (nil when it finished normally).
    public func waitForEnd(
        timeout: Duration = StoreConformance.watchTimeout, file: StaticString = #filePath, line: UInt = #line
    ) async throws -> (any Error)? {
        do {
            try await waitForEvents(Int.max, timeout: timeout, file: file, line: line)
        } catch {}
        let ended = state.withLock { $0.ended }
        guard let ended else { throw ConformanceFailure("the watch stream did not end", file: file, line: line) }
        return ended
    }

    /// Cancels the consuming task and waits for it to stop.
    public func stop() async {
        task.cancel()
        await task.value
    }

    /// A short description of an event for failure messages.
    static func describe(_ event: WatchEvent) -> String {
        "\(event.kind)@\(event.revision):\(event.kv.key)"
    }

    /// Short descriptions of events, eliding the middle of long lists.
    static func describe(_ events: [WatchEvent]) -> String {
        guard events.count > 12 else { return "\(events.map(describe))" }
        return "\(events.prefix(6).map(describe)) … \(events.suffix(6).map(describe))"
    }

    private static func update(_ state: Locked<State>, _ change: (inout State) -> Void) {
        let ready: [Waiter] = state.withLock { state in
            change(&state)
            let ready = state.waiters.filter { state.ended != nil || $0.value.goal.isReached(by: state.events) }
            for id in ready.keys { state.waiters[id] = nil }
            return Array(ready.values)
        }
        for waiter in ready { waiter.continuation.resume() }
    }
}
