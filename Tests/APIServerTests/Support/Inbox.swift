import Foundation
import Storage
import Testing

/// A queue one test reads with a deadline: a producer pushes values (or pumps an `AsyncSequence`) and
/// finishes; `next(timeout:)` returns the next value, nil once finished and drained, and throws
/// `InboxTimeout` when nothing arrives in time. The deadline only bounds a wait on something asynchronous
/// (the cache applying a store event): a correct server never makes a test reach it.
final class Inbox<Element: Sendable>: Sendable {
    private struct State {
        var items: [Element] = []
        var head = 0
        var finished = false
        var waiter: (id: UInt64, continuation: CheckedContinuation<Void, Never>)?
        var nextWaiterID: UInt64 = 0
    }

    private let state = Locked(State())

    init() {}

    /// An inbox fed by `sequence` until it ends; the returned task stops the pumping when cancelled.
    static func pumping<S: AsyncSequence & Sendable>(_ sequence: S) -> (Inbox<Element>, Task<Void, Never>)
    where S.Element == Element {
        let inbox = Inbox<Element>()
        let task = Task {
            do {
                for try await element in sequence { inbox.push(element) }
            } catch {}
            inbox.finish()
        }
        return (inbox, task)
    }

    func push(_ element: Element) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.items.append(element)
            defer { state.waiter = nil }
            return state.waiter?.continuation
        }
        waiter?.resume()
    }

    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter?.continuation
        }
        waiter?.resume()
    }

    /// How many values arrived so far (read or not).
    var received: Int { state.withLock { $0.items.count } }

    /// Whether the producer finished.
    var isFinished: Bool { state.withLock { $0.finished } }

    /// The next value; nil when the producer finished and every value was read.
    func next(timeout: Duration = .seconds(10)) async throws -> Element? {
        let deadline = ContinuousClock.now + timeout
        while true {
            let taken = state.withLock { state -> Element?? in
                if state.head < state.items.count {
                    defer { state.head += 1 }
                    return .some(state.items[state.head])
                }
                return state.finished ? .some(nil) : nil
            }
            if let taken { return taken }
            if ContinuousClock.now >= deadline { throw InboxTimeout(timeout: timeout) }
            await waitForChange(until: deadline)
        }
    }

    /// The next `count` values; throws if the producer finishes or times out first.
    func next(_ count: Int, timeout: Duration = .seconds(10), sourceLocation: SourceLocation = #_sourceLocation) async throws -> [Element] {
        var out: [Element] = []
        while out.count < count {
            guard let element = try await next(timeout: timeout) else {
                Issue.record("the stream ended after \(out.count) of \(count) values", sourceLocation: sourceLocation)
                throw InboxTimeout(timeout: timeout)
            }
            out.append(element)
        }
        return out
    }

    private func waitForChange(until deadline: ContinuousClock.Instant) async {
        let id = state.withLock { state in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        let timer = Task { [state] in
            try? await Task.sleep(until: deadline, clock: .continuous)
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard let waiter = state.waiter, waiter.id == id else { return nil }
                state.waiter = nil
                return waiter.continuation
            }
            waiter?.resume()
        }
        defer { timer.cancel() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.head < state.items.count || state.finished || ContinuousClock.now >= deadline { return true }
                state.waiter = (id, continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }
}

struct InboxTimeout: Error, CustomStringConvertible {
    var timeout: Duration
    var description: String { "nothing arrived within \(timeout)" }
}
