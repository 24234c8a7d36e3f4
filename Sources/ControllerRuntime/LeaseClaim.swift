import APIModel

/// How long leadership lasts and how often it is renewed (client-go's `LeaseDuration`, `RenewDeadline`,
/// `RetryPeriod`).
///
/// Contract: `renewDeadline < leaseDuration`, so a leader that cannot renew stops leading before any other
/// candidate may take the lease over. A leader killed without releasing its lease is replaced at most
/// `leaseDuration + 2 × retryPeriod` after its last renewal (a candidate notices the last renewal within one
/// retry period and checks again one retry period after the lease expired).
public struct LeaderElectionTiming: Sendable, Equatable {
    public var leaseDuration: Duration
    public var renewDeadline: Duration
    public var retryPeriod: Duration

    /// 10 s / 7 s / 2 s: a dead leader is replaced within 14 s.
    public static let standard = LeaderElectionTiming(leaseDuration: .seconds(10), renewDeadline: .seconds(7),
                                                      retryPeriod: .seconds(2))

    public init(leaseDuration: Duration, renewDeadline: Duration, retryPeriod: Duration) {
        precondition(renewDeadline < leaseDuration, "the renew deadline must be shorter than the lease duration")
        self.leaseDuration = leaseDuration
        self.renewDeadline = renewDeadline
        self.retryPeriod = retryPeriod
    }
}

/// What a candidate has seen of a lease: the spec and when (on the candidate's own monotonic clock) it last
/// saw it change. Expiry is judged from that local observation, never from the holder's wall-clock
/// `renewTime`, so clock skew between machines cannot hand the lease over early (as client-go does).
public struct LeaseObservation: Sendable, Equatable {
    public var spec: LeaseSpec?
    public var observedAt: ContinuousClock.Instant

    public init(spec: LeaseSpec?, observedAt: ContinuousClock.Instant) {
        self.spec = spec
        self.observedAt = observedAt
    }

    /// The observation after reading `spec` at `now`: the observation time moves only when the spec changed.
    public func updated(with spec: LeaseSpec?, at now: ContinuousClock.Instant) -> LeaseObservation {
        spec == self.spec ? self : LeaseObservation(spec: spec, observedAt: now)
    }
}

/// The pure decision of one leader-election round (client-go's `tryAcquireOrRenew`).
public enum LeaseClaim {
    /// The spec `identity` should write to hold the lease, or nil when another holder's lease is still
    /// valid.
    ///
    /// - Held by `identity`: renew (same acquire time and transitions, new renew time).
    /// - Free (no holder, or released with an empty holder) or expired (`observation.observedAt` + the lease's
    ///   duration ≤ `now`): acquire, counting a transition whenever a
    ///   lease that existed changes hands.
    /// - Otherwise: nil.
    public static func claim(identity: String, observation: LeaseObservation, now: ContinuousClock.Instant,
                             wallClock: MicroTime, leaseDuration: Duration) -> LeaseSpec? {
        let current = observation.spec
        let holder = current?.holderIdentity ?? ""
        let seconds = Int32(leaseDuration.components.seconds)
        if holder == identity {
            var renewed = current ?? LeaseSpec()
            renewed.renewTime = wallClock
            renewed.leaseDurationSeconds = seconds
            return renewed
        }
        if !holder.isEmpty {
            let held = Duration.seconds(Int64(current?.leaseDurationSeconds ?? seconds))
            if observation.observedAt + held > now { return nil }
        }
        let transitions = current.map { ($0.leaseTransitions ?? 0) + 1 } ?? 0
        return LeaseSpec(acquireTime: wallClock, holderIdentity: identity, leaseDurationSeconds: seconds,
                         leaseTransitions: transitions, renewTime: wallClock)
    }

    /// The spec a leader writes when it steps down: no holder, so the next candidate acquires at once.
    public static func released(_ spec: LeaseSpec?, wallClock: MicroTime) -> LeaseSpec {
        var released = spec ?? LeaseSpec()
        released.holderIdentity = ""
        released.leaseDurationSeconds = 1
        released.renewTime = wallClock
        return released
    }
}
