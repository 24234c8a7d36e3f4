import Synchronization

/// The sending side of one SPDY connection: frames from any task are encoded and written in the order they
/// were queued (the header compression context needs wire order), one at a time. A sender resumes once
/// its frame is written, so a fast producer waits for a slow transport. `run` ignores cancellation and
/// returns after `finish()` once the queue is empty, so no sender is left waiting.
final class SPDYOutbound: Sendable {
    private struct Pending: Sendable {
        var frame: SPDYFrame
        var written: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var pending: [Pending] = []
        var waiter: CheckedContinuation<Pending?, Never>?
        var finished = false
    }

    /// The transport failed or the connection ended: nothing more is written.
    struct Closed: Error {}

    private let state = Mutex(State())

    /// Queues `frame` and waits until it is written; throws `Closed` if it never will be.
    func send(_ frame: SPDYFrame) async throws {
        try await withCheckedThrowingContinuation { (written: CheckedContinuation<Void, any Error>) in
            let pending = Pending(frame: frame, written: written)
            let accepted: Bool = state.withLock { state in
                guard !state.finished else { return false }
                if let waiter = state.waiter {
                    state.waiter = nil
                    waiter.resume(returning: pending)
                } else {
                    state.pending.append(pending)
                }
                return true
            }
            if !accepted { written.resume(throwing: Closed()) }
        }
    }

    /// Ends the queue: frames already queued are still written (or failed), later ones fail.
    func finish() {
        let waiter: CheckedContinuation<Pending?, Never>? = state.withLock { state in
            state.finished = true
            defer { state.waiter = nil }
            return state.pending.isEmpty ? state.waiter : nil
        }
        waiter?.resume(returning: nil)
    }

    /// Writes queued frames through `transport` until `finish()`; after a transport error every frame fails.
    func run(transport: @Sendable ([UInt8]) async throws -> Void) async {
        let writer = SPDYFrameWriter()
        var failed = false
        while let pending = await next() {
            guard !failed else {
                pending.written.resume(throwing: Closed())
                continue
            }
            do {
                try await transport(writer.encode(pending.frame))
                pending.written.resume()
            } catch {
                failed = true
                pending.written.resume(throwing: Closed())
            }
        }
    }

    private func next() async -> Pending? {
        await withCheckedContinuation { (waiter: CheckedContinuation<Pending?, Never>) in
            let ready: Pending?? = state.withLock { state in
                if !state.pending.isEmpty { return .some(state.pending.removeFirst()) }
                if state.finished { return .some(nil) }
                state.waiter = waiter
                return nil
            }
            if let ready { waiter.resume(returning: ready) }
        }
    }
}
