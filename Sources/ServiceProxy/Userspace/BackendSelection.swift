/// Which backend a new connection or UDP session of one Service port goes to (pure state machine): round robin
/// across the backends, or — with ClientIP affinity — the backend a client was last sent to, for as long as it
/// keeps coming back within `affinitySeconds` of its last pick.
///
/// `update` replaces the backends in place: the round-robin position and the affinities to backends that remain
/// are kept, affinities to removed backends are forgotten.
struct BackendSelection: Sendable {
    private(set) var backends: [ProxiedService.Backend]
    private(set) var affinitySeconds: Int32?
    private var next = 0
    private var affinities: [String: (backend: ProxiedService.Backend, expires: ContinuousClock.Instant)] = [:]

    init(backends: [ProxiedService.Backend], affinitySeconds: Int32?) {
        self.backends = backends
        self.affinitySeconds = affinitySeconds
    }

    mutating func update(backends: [ProxiedService.Backend], affinitySeconds: Int32?) {
        self.backends = backends
        self.affinitySeconds = affinitySeconds
        if affinitySeconds == nil {
            affinities = [:]
        } else {
            affinities = affinities.filter { backends.contains($0.value.backend) }
        }
    }

    /// The backend for a new connection or session from `clientIP` at `now`, nil when there is none.
    mutating func pick(clientIP: String?, now: ContinuousClock.Instant) -> ProxiedService.Backend? {
        guard !backends.isEmpty else { return nil }
        if let affinitySeconds, let clientIP {
            let expires = now.advanced(by: .seconds(Int64(affinitySeconds)))
            if let sticky = affinities[clientIP], sticky.expires > now {
                affinities[clientIP] = (sticky.backend, expires)
                return sticky.backend
            }
            affinities = affinities.filter { $0.value.expires > now }
            let backend = nextInTurn()
            affinities[clientIP] = (backend, expires)
            return backend
        }
        return nextInTurn()
    }

    func contains(_ backend: ProxiedService.Backend) -> Bool {
        backends.contains(backend)
    }

    private mutating func nextInTurn() -> ProxiedService.Backend {
        let backend = backends[next % backends.count]
        next = (next + 1) % backends.count
        return backend
    }
}
