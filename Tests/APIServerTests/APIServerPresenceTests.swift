import Foundation
import Storage
import Testing
@testable import APIServer

@Suite("API server presence")
struct APIServerPresenceTests {
    @Test("Live servers are listed sorted; a stale entry is dropped and deleted; a withdrawn one disappears")
    func liveServers() async throws {
        let store = InMemoryStore()
        defer { store.close() }
        let now = Date()
        let one = APIServerPresence(store: store, address: "10.0.0.2", port: 6443, ttl: .seconds(45))
        let two = APIServerPresence(store: store, address: "10.0.0.1", port: 6443, ttl: .seconds(45))
        let dead = APIServerPresence(store: store, address: "10.0.0.9", port: 6443, ttl: .seconds(45))
        try await one.renew(now: now)
        try await two.renew(now: now)
        try await dead.renew(now: now.addingTimeInterval(-60))
        try await one.renew(now: now)  // renewing twice is fine
        #expect(try await one.live(now: now) == ["10.0.0.1", "10.0.0.2"])
        #expect(try await store.get(APIServerPresence.prefix + "10.0.0.9") == nil)
        await two.withdraw()
        #expect(try await one.live(now: now) == ["10.0.0.2"])
    }
}
