import Foundation
import Storage
import TestSupport
import Testing

@Suite("MeasuredStore")
struct MeasuredStoreTests {
    @Test("Passes the conformance suite around the in-memory store")
    func conformance() async throws {
        try await StoreConformance.runAll(makeStore: { MeasuredStore(InMemoryStore()) },
                                          cleanup: { store in ((store as? MeasuredStore)?.base as? InMemoryStore)?.close() })
    }

    @Test("Counts calls per operation and renders cumulative Prometheus histograms; expected errors count as ok")
    func histogram() async throws {
        let base = InMemoryStore()
        defer { base.close() }
        let store = MeasuredStore(base)
        try await store.create("/a", value: Data("1".utf8))
        _ = try await store.get("/a")
        _ = try await store.get("/b")
        await #expect(throws: StoreError.self) { try await store.create("/a", value: Data()) }
        #expect(store.latencies.count(of: "get") == 2)
        #expect(store.latencies.count(of: "create") == 2)
        let text = store.latencies.prometheusText()
        #expect(text.contains("# TYPE skiff_store_request_duration_seconds histogram"))
        #expect(text.contains(#"skiff_store_request_duration_seconds_count{operation="create",outcome="ok"} 2"#))
        #expect(text.contains(#"skiff_store_request_duration_seconds_bucket{operation="get",outcome="ok",le="+Inf"} 2"#))
        #expect(text.contains(#"skiff_store_request_duration_seconds_bucket{operation="get",outcome="ok",le="15.0"} 2"#))
    }
}
