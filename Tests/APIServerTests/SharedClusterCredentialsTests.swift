import APIServer
import Foundation
import PKI
import Storage
import Testing

@Suite("SharedClusterCredentials")
struct SharedClusterCredentialsTests {
    private func temporaryTLS() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-shared-\(UUID().uuidString)/tls")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func load(_ store: InMemoryStore, _ token: String, _ tls: URL, _ host: String) async throws -> ClusterPKI {
        try await SharedClusterCredentials.load(store: store, token: token, layout: PKIFileLayout(directory: tls)) {
            try ClusterPKI.loadOrCreate(directory: tls, hostname: host)
        }
    }

    @Test("The first server publishes its CA sealed; a second with the token gets the same CA and admin credentials")
    func secondServerJoins() async throws {
        let store = InMemoryStore()
        defer { store.close() }
        let one = try temporaryTLS(), two = try temporaryTLS()
        defer { try? FileManager.default.removeItem(at: one.deletingLastPathComponent()); try? FileManager.default.removeItem(at: two.deletingLastPathComponent()) }

        let first = try await load(store, "secret", one, "one")
        let published = try #require(try await store.get(SharedClusterCredentials.storeKey))
        #expect(!String(decoding: published.value, as: UTF8.self).contains("BEGIN"))

        let second = try await load(store, "secret", two, "two")
        #expect(second.caCertificatePEM == first.caCertificatePEM)
        #expect(second.adminKubeconfig().clientCertificatePEM == first.adminKubeconfig().clientCertificatePEM)
        #expect(second.servingCertificatePEM != first.servingCertificatePEM)

        // Restarting the first server changes nothing.
        let again = try await load(store, "secret", one, "one")
        #expect(again.caCertificatePEM == first.caCertificatePEM)
    }

    @Test("A wrong token fails clearly and leaves the joining server's files alone")
    func wrongToken() async throws {
        let store = InMemoryStore()
        defer { store.close() }
        let one = try temporaryTLS(), two = try temporaryTLS()
        defer { try? FileManager.default.removeItem(at: one.deletingLastPathComponent()); try? FileManager.default.removeItem(at: two.deletingLastPathComponent()) }
        _ = try await load(store, "secret", one, "one")
        await #expect(throws: ClusterSecretsError.wrongToken) { _ = try await load(store, "guess", two, "two") }
        #expect(!FileManager.default.fileExists(atPath: two.appendingPathComponent("ca.crt").path))
    }
}
