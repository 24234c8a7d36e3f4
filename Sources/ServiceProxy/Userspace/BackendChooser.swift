import Synchronization

/// The `BackendSelection` of one Service port, shared by its listeners and their event loops.
final class BackendChooser: Sendable {
    private let selection: Mutex<BackendSelection>

    init(backends: [ProxiedService.Backend], affinitySeconds: Int32?) {
        selection = Mutex(BackendSelection(backends: backends, affinitySeconds: affinitySeconds))
    }

    func update(backends: [ProxiedService.Backend], affinitySeconds: Int32?) {
        selection.withLock { $0.update(backends: backends, affinitySeconds: affinitySeconds) }
    }

    /// The backend for a new connection or session from `clientIP`, nil when the Service has none.
    func pick(clientIP: String?) -> ProxiedService.Backend? {
        selection.withLock { $0.pick(clientIP: clientIP, now: .now) }
    }

    /// Whether `backend` is still one of the Service's backends.
    func contains(_ backend: ProxiedService.Backend) -> Bool {
        selection.withLock { $0.contains(backend) }
    }
}
