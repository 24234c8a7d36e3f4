import APIModel
import Foundation
import Logging
import Storage

/// Keeps the Service allocations (`ServiceAllocator`'s keys) in step with the stored Services, as Kubernetes'
/// allocation repair controllers do:
/// - a deleted Service's cluster IP and node ports are released as soon as the cache sees the deletion,
///   whichever path deleted it (a client, the garbage collector, namespace deletion);
/// - a pass at start and then every `interval` re-reserves values that Services hold without a reservation
///   (stored before allocation existed, or restored), and releases reservations whose owner holds them no
///   more — only when a reservation was seen orphaned by two passes in a row, so that a write between its
///   reservation and its store write is never robbed.
struct ServiceAllocationRepair: Sendable {
    let store: any KeyValueStore
    let cache: WatchCache
    let allocator: ServiceAllocator
    let interval: Duration
    let logger: Logger

    static let bucket = "/registry/services/"

    func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await releaseDeleted() }
            group.addTask { await repairPeriodically() }
            await group.waitForAll()
        }
    }

    /// Releases what each deleted Service held.
    private func releaseDeleted() async {
        while !Task.isCancelled {
            guard let watch = try? cache.watch(ObjectFilter(bucket: Self.bucket, prefix: Self.bucket), after: nil) else {
                try? await Task.sleep(for: .milliseconds(200))
                continue
            }
            for await event in watch.events where event.kind == .deleted {
                await allocator.releaseValues(ofDeleted: event.object.data)
            }
            watch.cancel()
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    private func repairPeriodically() async {
        var suspects: [String: Revision] = [:]
        while !Task.isCancelled {
            do {
                try await cache.waitUntilFresh()
                suspects = try await repair(previousSuspects: suspects)
            } catch {
                logger.warning("service allocation repair: \(error)")
            }
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }

    /// One pass; returns the orphaned reservations seen (key → revision) for the next pass.
    func repair(previousSuspects: [String: Revision]) async throws -> [String: Revision] {
        // Reservations first, Services second: a Service stored after the listing of keys is then seen.
        var reservations: [String: KeyValue] = [:]
        for prefix in [ServiceAllocator.ipPrefix, ServiceAllocator.nodePortPrefix] {
            for kv in try await store.list(prefix: prefix, revision: nil, limit: nil, after: nil).items {
                reservations[kv.key] = kv
            }
        }
        try await cache.waitUntilFresh()
        var held: [String: String] = [:]  // key → uid of the Service holding the value
        for object in cache.list(ObjectFilter(bucket: Self.bucket, prefix: Self.bucket), limit: nil, after: nil).items {
            guard let service = try? ModelJSON.decode(Service.self, from: object.data),
                  let uid = service.metadata?.uid, let spec = service.spec else { continue }
            let keys = ServiceAllocationPlan.heldIPs(spec).map { ServiceAllocator.ipPrefix + $0 }
                + ServiceAllocationPlan.heldNodePorts(spec).map { ServiceAllocator.nodePortPrefix + String($0) }
            for key in keys {
                held[key] = uid
                if let owner = reservations[key].map({ String(decoding: $0.value, as: UTF8.self) }) {
                    if owner != uid && held[key] == uid && reservations[key] != nil {
                        logger.warning("\(key) is held by Service \(service.metadata?.namespace ?? "")/\(service.metadata?.name ?? "") but reserved for uid \(owner)")
                    }
                } else {
                    do { try await store.create(key, value: Data(uid.utf8)) } catch StoreError.alreadyExists {}
                }
            }
        }
        var suspects: [String: Revision] = [:]
        for (key, kv) in reservations {
            let owner = String(decoding: kv.value, as: UTF8.self)
            if held[key] == owner { continue }
            if previousSuspects[key] == kv.modRevision {
                do { try await store.delete(key, expectedRevision: kv.modRevision) } catch StoreError.conflict {} catch StoreError.notFound {}
                logger.info("released \(key): no Service holds it")
            } else {
                suspects[key] = kv.modRevision
            }
        }
        return suspects
    }
}
