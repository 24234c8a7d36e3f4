import APIClient
import APIModel
import ControllerRuntime
import Logging
import Synchronization
import Testing
import TestSupport

@Suite("LeaderElector")
struct LeaderElectorTests {
    private static let fast = LeaderElectionTiming(leaseDuration: .seconds(2), renewDeadline: .milliseconds(1500),
                                                   retryPeriod: .milliseconds(100))

    /// Which candidates are running their components right now.
    private final class Leaders: Sendable {
        let running = Mutex<Set<String>>([])
        func enter(_ id: String) { running.withLock { _ = $0.insert(id) } }
        func leave(_ id: String) { running.withLock { _ = $0.remove(id) } }
        var current: Set<String> { running.withLock { $0 } }
    }

    private func elector(_ client: KubernetesClient, _ identity: String) -> LeaderElector {
        LeaderElector(client: client, name: "test-components", identity: identity, timing: Self.fast,
                      logger: Logger(label: "test"))
    }

    private func candidate(_ elector: LeaderElector, _ leaders: Leaders) -> Task<Void, Never> {
        Task {
            await elector.run {
                leaders.enter(elector.identity)
                while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
                leaders.leave(elector.identity)
            }
        }
    }

    @Test("One of two candidates leads; on shutdown it releases the lease and the other takes over at once")
    func handOverOnRelease() async throws {
        try await InProcessCluster.with { cluster in
            let leaders = Leaders()
            let a = candidate(elector(cluster.client, "a"), leaders)
            try await eventually("a leads") { leaders.current == ["a"] }
            let b = candidate(elector(cluster.client, "b"), leaders)
            defer { b.cancel() }
            try await Task.sleep(for: .milliseconds(500))
            #expect(leaders.current == ["a"], "b must not lead while a renews")

            let handedOver = ContinuousClock.now
            a.cancel()
            await a.value
            try await eventually("b leads") { leaders.current == ["b"] }
            #expect(ContinuousClock.now - handedOver < .seconds(1), "a released lease is taken without waiting for expiry")
            let lease = try await cluster.client.get(Lease.self, name: "test-components", namespace: "kube-system")
            #expect(lease.spec?.holderIdentity == "b")
            #expect(lease.spec?.leaseTransitions == 1)
        }
    }

    @Test("A leader that stops renewing (killed) is replaced after the lease expires")
    func replacesDeadLeader() async throws {
        try await InProcessCluster.with { cluster in
            // A dead leader: its lease is held and never renewed.
            _ = try await cluster.client.create(Lease(
                metadata: ObjectMeta(name: "test-components", namespace: "kube-system"),
                spec: LeaseSpec(acquireTime: .now(), holderIdentity: "dead", leaseDurationSeconds: 2,
                                leaseTransitions: 0, renewTime: .now())))
            let leaders = Leaders()
            let started = ContinuousClock.now
            let b = candidate(elector(cluster.client, "b"), leaders)
            defer { b.cancel() }
            try await eventually("b leads", timeout: .seconds(10)) { leaders.current == ["b"] }
            let waited = ContinuousClock.now - started
            #expect(waited >= .seconds(2), "the dead leader's lease is respected for its duration")
        }
    }

    @Test("A restarted candidate with the same identity takes its own lease back at once")
    func sameIdentityResumes() async throws {
        try await InProcessCluster.with { cluster in
            _ = try await cluster.client.create(Lease(
                metadata: ObjectMeta(name: "test-components", namespace: "kube-system"),
                spec: LeaseSpec(acquireTime: .now(), holderIdentity: "a", leaseDurationSeconds: 60,
                                leaseTransitions: 2, renewTime: .now())))
            let leaders = Leaders()
            let a = candidate(elector(cluster.client, "a"), leaders)
            defer { a.cancel() }
            try await eventually("a leads", timeout: .seconds(1)) { leaders.current == ["a"] }
        }
    }

    @Test("A leader whose lease is taken over (e.g. after a partition) stops its components")
    func stepsDownWhenLeaseTaken() async throws {
        try await InProcessCluster.with { cluster in
            let leaders = Leaders()
            let a = candidate(elector(cluster.client, "a"), leaders)
            defer { a.cancel() }
            try await eventually("a leads") { leaders.current == ["a"] }
            var lease = try await cluster.client.get(Lease.self, name: "test-components", namespace: "kube-system")
            lease.spec?.holderIdentity = "intruder"
            lease.spec?.leaseDurationSeconds = 60
            _ = try await cluster.client.update(lease)
            try await eventually("a stops leading") { leaders.current.isEmpty }
        }
    }
}
