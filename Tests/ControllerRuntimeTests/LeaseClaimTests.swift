import APIModel
import ControllerRuntime
import Testing

@Suite("LeaseClaim")
struct LeaseClaimTests {
    private let start = ContinuousClock.now
    private let wall = MicroTime(microsecondsSinceEpoch: 1_700_000_000_000_000)
    private let duration = Duration.seconds(10)

    private func held(by holder: String, transitions: Int32 = 3) -> LeaseSpec {
        LeaseSpec(acquireTime: MicroTime(microsecondsSinceEpoch: 1), holderIdentity: holder, leaseDurationSeconds: 10,
                  leaseTransitions: transitions, renewTime: MicroTime(microsecondsSinceEpoch: 2))
    }

    @Test("A lease that does not exist is acquired with no transitions")
    func acquiresMissingLease() {
        let spec = LeaseClaim.claim(identity: "a", observation: LeaseObservation(spec: nil, observedAt: start),
                                    now: start, wallClock: wall, leaseDuration: duration)
        #expect(spec == LeaseSpec(acquireTime: wall, holderIdentity: "a", leaseDurationSeconds: 10, leaseTransitions: 0,
                                  renewTime: wall))
    }

    @Test("Another holder's lease is respected until its duration has passed since it was last seen changing")
    func respectsValidLease() {
        let observation = LeaseObservation(spec: held(by: "b"), observedAt: start)
        #expect(LeaseClaim.claim(identity: "a", observation: observation, now: start + .seconds(9),
                                 wallClock: wall, leaseDuration: duration) == nil)
        let taken = LeaseClaim.claim(identity: "a", observation: observation, now: start + .seconds(10),
                                     wallClock: wall, leaseDuration: duration)
        #expect(taken?.holderIdentity == "a")
        #expect(taken?.leaseTransitions == 4)
        #expect(taken?.acquireTime == wall)
    }

    @Test("The holder renews: same acquire time and transitions, new renew time")
    func renewsOwnLease() {
        let observation = LeaseObservation(spec: held(by: "a"), observedAt: start)
        let renewed = LeaseClaim.claim(identity: "a", observation: observation, now: start + .seconds(60),
                                       wallClock: wall, leaseDuration: duration)
        #expect(renewed?.acquireTime == MicroTime(microsecondsSinceEpoch: 1))
        #expect(renewed?.leaseTransitions == 3)
        #expect(renewed?.renewTime == wall)
    }

    @Test("A released lease (empty holder) is taken at once")
    func takesReleasedLease() {
        let released = LeaseClaim.released(held(by: "b"), wallClock: wall)
        #expect(released.holderIdentity == "")
        let observation = LeaseObservation(spec: released, observedAt: start)
        let taken = LeaseClaim.claim(identity: "a", observation: observation, now: start, wallClock: wall,
                                     leaseDuration: duration)
        #expect(taken?.holderIdentity == "a")
        #expect(taken?.leaseTransitions == 4)
    }

    @Test("Expiry is measured from when the candidate saw the lease change, not from its renew time")
    func observationMovesOnlyOnChange() {
        let first = LeaseObservation(spec: held(by: "b"), observedAt: start)
        let same = first.updated(with: held(by: "b"), at: start + .seconds(5))
        #expect(same.observedAt == start)
        var renewed = held(by: "b")
        renewed.renewTime = MicroTime(microsecondsSinceEpoch: 3)
        let changed = first.updated(with: renewed, at: start + .seconds(5))
        #expect(changed.observedAt == start + .seconds(5))
        #expect(LeaseClaim.claim(identity: "a", observation: changed, now: start + .seconds(12), wallClock: wall,
                                 leaseDuration: duration) == nil)
    }
}
