import Foundation
import Synchronization

/// Client-go's rate-limited work queue: keys to process, each at most once in the queue and never processed
/// by two workers at once.
///
/// Contracts:
/// - `add` queues a key unless it is already queued; a key added while a worker holds it is queued again
///   when that worker calls `done`, so no change is lost and no key is processed concurrently.
/// - `add(_:after:)` queues the key once the delay has passed (an earlier pending delay wins);
///   `addRateLimited` delays by the key's failure count (5 ms doubling to `maxRetryDelay`); `forget` resets it.
/// - `next()` waits for a key; it returns nil once the queue is shut down and empty.
/// - Delayed keys need `run()` (the queue's timer) to be running.
public final class WorkQueue<Key: Hashable & Sendable>: Sendable {
    private struct State {
        var queue: [Key] = []
        var head = 0
        var queued: Set<Key> = []
        var processing: Set<Key> = []
        var dirty: Set<Key> = []
        var delayed = DelayHeap<Key>()
        var failures: [Key: Int] = [:]
        var waiters: [CheckedContinuation<Key?, Never>] = []
        var shutDown = false
        var timerWake: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())
    public let maxRetryDelay: Duration

    public init(maxRetryDelay: Duration = .seconds(300)) {
        self.maxRetryDelay = maxRetryDelay
    }

    public func add(_ key: Key) {
        let waiter = state.withLock { state -> CheckedContinuation<Key?, Never>? in
            guard !state.shutDown else { return nil }
            if state.processing.contains(key) {
                state.dirty.insert(key)
                return nil
            }
            guard state.queued.insert(key).inserted else { return nil }
            if !state.waiters.isEmpty {
                state.queued.remove(key)
                state.processing.insert(key)
                return state.waiters.removeFirst()
            }
            state.queue.append(key)
            return nil
        }
        waiter?.resume(returning: key)
    }

    public func add(_ key: Key, after delay: Duration) {
        if delay <= .zero { return add(key) }
        let wake = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.shutDown else { return nil }
            let deadline = ContinuousClock.now + delay
            let earliest = state.delayed.earliest
            state.delayed.schedule(key, at: deadline)
            guard earliest == nil || deadline < earliest! else { return nil }
            defer { state.timerWake = nil }
            return state.timerWake
        }
        wake?.resume()
    }

    /// Queues the key after a delay that grows with its failures.
    public func addRateLimited(_ key: Key) {
        let failures = state.withLock { state -> Int in
            state.failures[key, default: 0] += 1
            return state.failures[key]!
        }
        let delay = Duration.milliseconds(5) * (1 << min(failures - 1, 30))
        add(key, after: min(delay, maxRetryDelay))
    }

    public func forget(_ key: Key) {
        _ = state.withLock { $0.failures.removeValue(forKey: key) }
    }

    public func failures(_ key: Key) -> Int {
        state.withLock { $0.failures[key] ?? 0 }
    }

    /// The next key to process; call `done` with it when finished. Nil once shut down.
    public func next() async -> Key? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Key?, Never>) in
            let ready = state.withLock { state -> Key?? in
                if state.head < state.queue.count {
                    let key = state.queue[state.head]
                    state.head += 1
                    if state.head > 1024 && state.head * 2 > state.queue.count {
                        state.queue.removeFirst(state.head)
                        state.head = 0
                    }
                    state.queued.remove(key)
                    state.processing.insert(key)
                    return .some(key)
                }
                if state.shutDown { return .some(nil) }
                state.waiters.append(continuation)
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    public func done(_ key: Key) {
        let again = state.withLock { state -> Bool in
            state.processing.remove(key)
            return state.dirty.remove(key) != nil
        }
        if again { add(key) }
    }

    public var count: Int { state.withLock { $0.queue.count - $0.head } }

    /// Wakes every waiting worker with nil; later adds are ignored.
    public func shutDown() {
        let (waiters, timer) = state.withLock { state in
            state.shutDown = true
            defer {
                state.waiters.removeAll()
                state.timerWake = nil
            }
            return (state.waiters, state.timerWake)
        }
        for waiter in waiters { waiter.resume(returning: nil) }
        timer?.resume()
    }

    /// Moves delayed keys into the queue when they are due, until cancelled or shut down (then the queue shuts
    /// down, waking the workers).
    public func run() async {
        while !Task.isCancelled {
            let (due, earliest, stop) = state.withLock { state in
                (state.delayed.popDue(now: ContinuousClock.now), state.delayed.earliest, state.shutDown)
            }
            if stop { break }
            for key in due { add(key) }
            if !due.isEmpty { continue }
            if let earliest {
                try? await Task.sleep(until: earliest, tolerance: .milliseconds(1), clock: .continuous)
                continue
            }
            // Nothing delayed: sleep until a delayed add (or shutdown) wakes us.
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow = state.withLock { state -> Bool in
                        if state.shutDown || state.delayed.earliest != nil { return true }
                        state.timerWake = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            } onCancel: {
                let wake = state.withLock { state -> CheckedContinuation<Void, Never>? in
                    defer { state.timerWake = nil }
                    return state.timerWake
                }
                wake?.resume()
            }
        }
        shutDown()
    }
}

/// Keys scheduled for later, earliest first (a binary heap); a key scheduled twice keeps its earlier time.
struct DelayHeap<Key: Hashable & Sendable>: Sendable {
    private var heap: [(at: ContinuousClock.Instant, key: Key)] = []
    private var scheduled: [Key: ContinuousClock.Instant] = [:]

    var earliest: ContinuousClock.Instant? { heap.first?.at }
    var count: Int { scheduled.count }

    mutating func schedule(_ key: Key, at instant: ContinuousClock.Instant) {
        if let existing = scheduled[key], existing <= instant { return }
        scheduled[key] = instant
        heap.append((instant, key))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].at < heap[parent].at else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the keys due at `now` (stale entries of rescheduled keys are skipped).
    mutating func popDue(now: ContinuousClock.Instant) -> [Key] {
        var due: [Key] = []
        while let first = heap.first, first.at <= now {
            heap.swapAt(0, heap.count - 1)
            let entry = heap.removeLast()
            siftDown()
            if scheduled[entry.key] == entry.at {
                scheduled.removeValue(forKey: entry.key)
                due.append(entry.key)
            }
        }
        return due
    }

    private mutating func siftDown() {
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count && heap[left].at < heap[smallest].at { smallest = left }
            if right < heap.count && heap[right].at < heap[smallest].at { smallest = right }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
