import APIModel
import Foundation

/// A Service write's allocations: the object with its chosen values, what was reserved (to give back if the
/// write fails) and what the stored object held that the new one no longer does (given back after it succeeds).
struct ServiceAllocationWrite: Sendable {
    var data: Data
    var uid: String
    var reservation: ServiceAllocator.Reservation
    var releasedIPs: [String]
    var releasedNodePorts: [Int32]
}

extension ResourceHandler {
    var serviceAllocator: ServiceAllocator { ServiceAllocator(store: store, ranges: serviceRanges) }

    static func isService(_ info: ResourceInfo) -> Bool { info.group.isEmpty && info.plural == "services" }

    /// For a Service about to be stored (`existing`: the stored version for updates): reserves its cluster IP
    /// and node ports as `ServiceAllocationPlan` says and returns the object with them set. Nil for other
    /// resources and for Service writes that change no allocation.
    func allocateServiceValues(_ data: Data, existing: Data?, _ request: ResourceRequest) async throws(APIError)
        -> ServiceAllocationWrite? {
        guard Self.isService(request.info) else { return nil }
        var service: Service
        let old: Service?
        do {
            service = try ModelJSON.decode(Service.self, from: data)
            old = try existing.map { try ModelJSON.decode(Service.self, from: $0) }
        } catch {
            throw APIError.internalError("reading the Service for allocation: \(error)")
        }
        var spec = service.spec ?? ServiceSpec()
        let plan = ServiceAllocationPlan(new: spec, old: old?.spec)
        if plan.isEmpty { return nil }
        let uid = service.metadata?.uid ?? old?.metadata?.uid ?? ""
        let reservation = try await serviceAllocator.reserve(plan, spec: &spec, uid: uid,
                                                             serviceName: service.metadata?.name ?? "",
                                                             dryRun: try request.query.isDryRun, info: request.info)
        service.spec = spec
        let encoded: Data
        do { encoded = try StoredEncoding.encode(service) } catch {
            await serviceAllocator.release(reservation, uid: uid)
            throw APIError.internalError("encoding the Service: \(error)")
        }
        return ServiceAllocationWrite(data: encoded, uid: uid, reservation: reservation,
                                      releasedIPs: plan.releasedIPs, releasedNodePorts: plan.releasedNodePorts)
    }

    /// After the write: gives back what it reserved if it failed, or what the old object held if it succeeded.
    func finishServiceAllocation(_ write: ServiceAllocationWrite?, succeeded: Bool) async {
        guard let write else { return }
        if succeeded {
            await serviceAllocator.release(ips: write.releasedIPs, nodePorts: write.releasedNodePorts, uid: write.uid)
        } else {
            await serviceAllocator.release(write.reservation, uid: write.uid)
        }
    }

    /// Gives back what a just-deleted Service held, so that a client deleting and re-creating it right away
    /// finds its values free (`ServiceAllocationRepair` does the same for deletions by other paths).
    func releaseServiceValues(of data: Data) async {
        await serviceAllocator.releaseValues(ofDeleted: data)
    }
}
