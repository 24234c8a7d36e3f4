import Foundation
import Testing

@testable import ContainerImages

/// Pulls from `scripts/registry-fixture.py serve` on 127.0.0.1: tampered content, lying headers, authorization,
/// pull policies.
@Suite(.serialized) struct PullVerificationTests {
    /// A scratch directory and the test image's oci-archive.
    struct Setup {
        let scratch: Scratch
        let archive: URL

        init() throws {
            scratch = try Scratch()
            archive = try buildTestImage(into: scratch.file("image")).oci
        }

        /// A fake registry with `options`, holding the test image as `skiff/busybox:1.0`.
        func registry(_ options: [String] = []) throws -> (FakeRegistry, PushedImage) {
            let registry = try FakeRegistry(scratch: scratch, options: options)
            do { return (registry, try registry.push(archive, tag: "1.0")) } catch {
                registry.stop()
                throw error
            }
        }
    }

    @Test func tamperedLayerIsRejectedAndLeavesNothing() async throws {
        let setup = try Setup()
        defer { setup.scratch.remove() }
        // Know the layer digest first (the push output), then serve it tampered.
        let (probe, pushed) = try setup.registry()
        probe.stop()
        let (registry, _) = try setup.registry(["--tamper", pushed.layers[0].description])
        defer { registry.stop() }

        let mismatch = await digestMismatch { try await setup.scratch.store.pull(reference: "\(registry.host)/skiff/busybox:1.0") }
        #expect(mismatch?.expected == pushed.layers[0])
        #expect(mismatch?.what == "blob \(registry.host)/skiff/busybox@\(pushed.layers[0])")
        #expect(setup.scratch.storeIsEmpty)
    }

    @Test func manifestDigestsAreVerified() async throws {
        let setup = try Setup()
        defer { setup.scratch.remove() }
        let (liar, pushed) = try setup.registry(["--lie-digest"])
        let lie = await digestMismatch { try await setup.scratch.store.pull(reference: "\(liar.host)/skiff/busybox:1.0") }
        #expect(lie?.what.contains("Docker-Content-Digest") == true)
        liar.stop()

        // Served by digest but altered (with an honest header): the reference's digest decides.
        let (tampering, _) = try setup.registry(["--tamper", pushed.manifest.description])
        defer { tampering.stop() }
        let mismatch = await digestMismatch {
            try await setup.scratch.store.pull(reference: "\(tampering.host)/skiff/busybox@\(pushed.manifest)")
        }
        #expect(mismatch?.expected == pushed.manifest)
        #expect(setup.scratch.storeIsEmpty)
    }

    @Test func rePullDownloadsNoStoredBlob() async throws {
        let setup = try Setup()
        defer { setup.scratch.remove() }
        let (registry, _) = try setup.registry()
        defer { registry.stop() }
        let reference = "\(registry.host)/skiff/busybox:1.0"
        let first = try await setup.scratch.store.pull(reference: reference)
        let blobGets = { try registry.requests().filter { $0.hasPrefix("GET /v2/skiff/busybox/blobs/") }.count }
        #expect(try blobGets() == 2)
        #expect(try await setup.scratch.store.pull(reference: reference) == first)
        #expect(try blobGets() == 2)

        // IfNotPresent and Never do not ask the registry when the image is stored.
        let requests = try registry.requests().count
        #expect(try await setup.scratch.store.pull(reference: reference, policy: .ifNotPresent) == first)
        #expect(try await setup.scratch.store.pull(reference: reference, policy: .never) == first)
        #expect(try registry.requests().count == requests)
        await #expect(throws: ImageStoreError.notFound("\(registry.host)/skiff/busybox:2.0")) {
            try await setup.scratch.store.pull(reference: "\(registry.host)/skiff/busybox:2.0", policy: .never)
        }
    }

    @Test func blobRedirectsAreFollowed() async throws {
        let setup = try Setup()
        defer { setup.scratch.remove() }
        let (registry, pushed) = try setup.registry(["--redirect-blobs"])
        defer { registry.stop() }
        let record = try await setup.scratch.store.pull(reference: "\(registry.host)/skiff/busybox:1.0")
        #expect(record.layers.map(\.digest) == pushed.layers)
        #expect(try registry.requests().filter { $0.hasPrefix("GET /storage/") }.count == 2)
    }

    @Test func basicAuthorization() async throws {
        let setup = try Setup()
        defer { setup.scratch.remove() }
        let (registry, pushed) = try setup.registry(["--auth", "basic", "--user", "puller", "--password", "s3cret"])
        defer { registry.stop() }
        let reference = "\(registry.host)/skiff/busybox:1.0"
        let store = setup.scratch.store

        await #expect(throws: ImageStoreError.unauthorized(registry: registry.host, reason: "the registry wants credentials and none were given")) {
            try await store.pull(reference: reference)
        }
        let wrong = DockerConfigCredentials(registries: [registry.host: RegistryCredentials(username: "puller", password: "nope")])
        await #expect(throws: ImageStoreError.self) { try await store.pull(reference: reference, credentials: wrong) }

        let secret = #"{"auths":{"http://\#(registry.host)/v2/":{"auth":"\#(Data("puller:s3cret".utf8).base64EncodedString())"}}}"#
        let record = try await store.pull(reference: reference, credentials: DockerConfigCredentials(json: Data(secret.utf8)))
        #expect(record.manifestDigest == pushed.manifest)
    }

    @Test func bearerTokenFlow() async throws {
        let setup = try Setup()
        defer { setup.scratch.remove() }
        let (registry, pushed) = try setup.registry(["--auth", "bearer", "--user", "puller", "--password", "s3cret"])
        defer { registry.stop() }
        let reference = "\(registry.host)/skiff/busybox:1.0"
        let store = setup.scratch.store

        // Without credentials the token server refuses.
        await #expect(throws: ImageStoreError.self) { try await store.pull(reference: reference) }
        let secret = #"{"auths":{"\#(registry.host)":{"username":"puller","password":"s3cret"}}}"#
        let record = try await store.pull(reference: reference, credentials: DockerConfigCredentials(json: Data(secret.utf8)))
        #expect(record.manifestDigest == pushed.manifest)
        let tokens = try registry.requests().filter { $0.hasPrefix("TOKEN ") }
        #expect(tokens.last == "TOKEN service=fixture&scope=repository:skiff/busybox:pull basic", "\(tokens)")
    }
}

/// What the digest mismatch `body` throws names; nil, with an issue recorded, when it throws anything else.
private func digestMismatch(_ body: () async throws -> Void) async -> (what: String, expected: Digest)? {
    let error = await #expect(throws: ImageStoreError.self) { try await body() }
    guard case let .digestMismatch(what, expected, _) = error else {
        Issue.record("expected a digest mismatch, got \(String(describing: error))")
        return nil
    }
    return (what, expected)
}
