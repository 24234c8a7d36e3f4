import APIClient
import APIModel
import Logging

/// Leader election over a `coordination.k8s.io` Lease, as kube-scheduler and kube-controller-manager do it:
/// several servers on one store run the same components, and only the holder of the lease runs them.
///
/// Contract of `run(whileLeading:)`:
/// - Tries to acquire the lease every `retryPeriod` until it holds it, then runs `whileLeading` and renews
///   every `retryPeriod`.
/// - When renewing has failed for `renewDeadline`, or another holder is found, `whileLeading` is cancelled
///   and awaited before the elector competes again: the components never run on two holders that both
///   believe they lead, as long as clocks advance at the same rate.
/// - On cancellation (shutdown) it cancels `whileLeading`, waits for it, and releases the lease (empty
///   holder) so another candidate takes over at once; then it returns. It also returns, releasing the
///   lease, when `whileLeading` returns by itself.
public struct LeaderElector: Sendable {
    public let client: KubernetesClient
    public let name: String
    public let namespace: String
    /// This candidate's identity (`holderIdentity`): stable across restarts of one server, so a restarted
    /// leader takes its own lease back at once, and different for every server.
    public let identity: String
    public let timing: LeaderElectionTiming
    let logger: Logger

    public init(client: KubernetesClient, name: String, namespace: String = "kube-system", identity: String,
                timing: LeaderElectionTiming = .standard, logger: Logger) {
        self.client = client
        self.name = name
        self.namespace = namespace
        self.identity = identity
        self.timing = timing
        self.logger = logger
    }

    public func run(whileLeading: @escaping @Sendable () async -> Void) async {
        var observation = LeaseObservation(spec: nil, observedAt: .now)
        while !Task.isCancelled {
            guard await acquire(&observation) else { return }
            logger.notice("\(identity) leads \(namespace)/\(name)")
            let held = observation
            let lost = await withTaskGroup(of: Bool.self) { group in
                group.addTask { await whileLeading(); return false }
                group.addTask { await renewUntilLost(held) }
                let first = await group.next() ?? false
                group.cancelAll()
                await group.waitForAll()
                return first
            }
            if !lost || Task.isCancelled {
                await release()
                return
            }
            logger.warning("\(identity) lost \(namespace)/\(name); competing again")
            observation = LeaseObservation(spec: nil, observedAt: .now)
        }
    }

    /// Tries every retry period until the lease is ours; false when cancelled first.
    private func acquire(_ observation: inout LeaseObservation) async -> Bool {
        while !Task.isCancelled {
            if await tryAcquireOrRenew(&observation) { return true }
            do { try await Task.sleep(for: timing.retryPeriod) } catch { return false }
        }
        return false
    }

    /// Renews every retry period; returns true once leadership is lost (another holder, or no successful
    /// renewal within the renew deadline), false when cancelled.
    private func renewUntilLost(_ start: LeaseObservation) async -> Bool {
        var observation = start
        var lastRenewal = ContinuousClock.now
        while true {
            do { try await Task.sleep(for: timing.retryPeriod) } catch { return false }
            if await tryAcquireOrRenew(&observation) {
                lastRenewal = .now
            } else if let holder = observation.spec?.holderIdentity, !holder.isEmpty, holder != identity {
                return true
            }
            if ContinuousClock.now - lastRenewal > timing.renewDeadline { return true }
        }
    }

    /// One round: read the lease, decide, write. True when this candidate holds the lease afterwards.
    private func tryAcquireOrRenew(_ observation: inout LeaseObservation) async -> Bool {
        do {
            let now = ContinuousClock.now
            let stored: Lease?
            do {
                stored = try await client.get(Lease.self, name: name, namespace: namespace)
            } catch let error as KubernetesClientError where error.isNotFound {
                stored = nil
            }
            observation = observation.updated(with: stored?.spec, at: now)
            guard let spec = LeaseClaim.claim(identity: identity, observation: observation, now: now,
                                              wallClock: .now(), leaseDuration: timing.leaseDuration) else { return false }
            let written: Lease
            if var lease = stored {
                lease.spec = spec
                written = try await client.update(lease)
            } else {
                written = try await client.create(Lease(metadata: ObjectMeta(name: name, namespace: namespace), spec: spec))
            }
            observation = observation.updated(with: written.spec, at: now)
            return true
        } catch let error as KubernetesClientError where error.code == 409 {
            return false  // another candidate wrote first; the next round reads its write
        } catch {
            logger.warning("leader election \(namespace)/\(name): \(error)")
            return false
        }
    }

    /// Steps down: an empty holder lets the next candidate acquire without waiting for expiry. Runs in a task
    /// of its own so that it is not cancelled with the caller.
    private func release() async {
        let task = Task { [client, name, namespace, identity, logger] in
            do {
                var lease = try await client.get(Lease.self, name: name, namespace: namespace)
                guard lease.spec?.holderIdentity == identity else { return }
                lease.spec = LeaseClaim.released(lease.spec, wallClock: .now())
                _ = try await client.update(lease)
                logger.notice("\(identity) released \(namespace)/\(name)")
            } catch {
                logger.debug("releasing \(namespace)/\(name): \(error)")
            }
        }
        await task.value
    }
}
