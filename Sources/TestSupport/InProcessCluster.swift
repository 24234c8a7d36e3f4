import APIClient
import APIServer
import Foundation
import Logging
import Storage

/// A Skiff API server with no listener over an `InMemoryStore`, and an in-process client of it as a cluster
/// admin: what tests of components (informers, the scheduler, controllers, simulated nodes) run against.
///
/// Use `InProcessCluster.with { cluster in … }`: the server runs for the duration of the body.
public final class InProcessCluster: Sendable {
    public let server: APIServer
    public let client: KubernetesClient
    public let store: InMemoryStore

    /// The user tests act as.
    public static let admin = UserInfo(name: "test-admin", groups: ["system:masters", "system:authenticated"])

    private init() {
        store = InMemoryStore()
        var logger = Logger(label: "skiff.tests")
        logger.logLevel = .warning
        server = APIServer(store: store, configuration: APIServerConfiguration(pki: nil), logger: logger)
        client = server.inProcessClient(as: Self.admin, component: "skiff-tests")
    }

    public static func with<T>(_ body: (InProcessCluster) async throws -> T) async throws -> T {
        let cluster = InProcessCluster()
        let running = Task { try await cluster.server.run() }
        let result: Result<T, any Error>
        do {
            try await cluster.server.cache.waitUntilFresh()
            result = .success(try await body(cluster))
        } catch {
            result = .failure(error)
        }
        running.cancel()
        _ = await running.result
        cluster.store.close()
        return try result.get()
    }
}
