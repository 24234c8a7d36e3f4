import APIModel
import Foundation
import Storage

/// Cluster IPs and node ports of Services, reserved in the store so that they are never handed out twice,
/// whichever server makes the write, and survive restarts.
///
/// Each reserved value is a key (`/registry/skiff/serviceips/<ip>`, `/registry/skiff/servicenodeports/<port>`)
/// whose value is the owning Service's uid, created with create-if-absent. A Service write reserves what its
/// `ServiceAllocationPlan` asks for before the Service is stored; if the write then fails, the handler releases
/// what was reserved. Values the stored Service no longer holds are released after the write; those of deleted
/// Services by `ServiceAllocationRepair`, which also frees reservations a crash left without a Service.
/// A key is only ever deleted by compare-and-swap against the owner's uid.
struct ServiceAllocator: Sendable {
    let store: any KeyValueStore
    let ranges: ServiceRanges

    static let ipPrefix = "/registry/skiff/serviceips/"
    static let nodePortPrefix = "/registry/skiff/servicenodeports/"

    /// What one write reserved, to give back if the write fails.
    struct Reservation: Sendable {
        var keys: [String] = []
    }

    /// Reserves what `plan` asks for on behalf of the Service with `uid` and writes the chosen values into
    /// `spec`. Requested values outside their range or held by another Service are 422 Invalid with
    /// Kubernetes' messages. `dryRun` checks and chooses without reserving.
    func reserve(_ plan: ServiceAllocationPlan, spec: inout ServiceSpec, uid: String, serviceName: String,
                 dryRun: Bool, info: ResourceInfo) async throws(APIError) -> Reservation {
        var reservation = Reservation()
        do throws(APIError) {
            if let ip = plan.requestedIP {
                let rendered = GoSyntax.stringSlice(spec.clusterIPs ?? [ip])
                let failure = { (reason: String) -> APIError in
                    APIError.invalid(info, name: serviceName, causes: [
                        .invalidValue("spec.clusterIPs", rendered,
                                      "failed to allocate IP \(ip): \(reason)"),
                    ])
                }
                guard ranges.offset(of: ip) != nil else {
                    throw failure("the provided IP (\(ip)) is not in the valid range. The range of valid IPs is \(ranges.cidr)")
                }
                guard try await claim(Self.ipPrefix + ip, uid: uid, dryRun: dryRun, into: &reservation) else {
                    throw failure("provided IP is already allocated")
                }
            }
            if plan.allocateIP {
                let ip = try await allocateIP(uid: uid, dryRun: dryRun, into: &reservation)
                spec.clusterIP = ip
                spec.clusterIPs = [ip]
            }
            for requested in plan.requestedNodePorts {
                let port = requested.port
                let field = "spec.ports[\(requested.index)].nodePort"
                guard ranges.nodePorts.contains(port) else {
                    throw APIError.invalid(info, name: serviceName, causes: [.invalidValue(field, String(port),
                        "provided port is not in the valid range. The range of valid ports is \(ranges.nodePorts.lowerBound)-\(ranges.nodePorts.upperBound)")])
                }
                guard try await claim(Self.nodePortPrefix + String(port), uid: uid, dryRun: dryRun, into: &reservation) else {
                    throw APIError.invalid(info, name: serviceName, causes: [.invalidValue(field, String(port),
                                                                                          "provided port is already allocated")])
                }
            }
            if !plan.allocateNodePorts.isEmpty, var ports = spec.ports {
                for index in plan.allocateNodePorts where index < ports.count {
                    ports[index].nodePort = try await allocateNodePort(uid: uid, dryRun: dryRun, into: &reservation)
                }
                spec.ports = ports
            }
            return reservation
        } catch {
            await release(reservation, uid: uid)
            throw error
        }
    }

    /// Gives back what a failed write reserved.
    func release(_ reservation: Reservation, uid: String) async {
        for key in reservation.keys { await release(key: key, uid: uid) }
    }

    /// Gives back the values a Service with `uid` held and no longer holds.
    func release(ips: [String], nodePorts: [Int32], uid: String) async {
        for ip in ips { await release(key: Self.ipPrefix + ip, uid: uid) }
        for port in nodePorts { await release(key: Self.nodePortPrefix + String(port), uid: uid) }
    }

    /// Gives back everything the deleted Service encoded in `data` held.
    func releaseValues(ofDeleted data: Data) async {
        guard let service = try? ModelJSON.decode(Service.self, from: data), let uid = service.metadata?.uid,
              let spec = service.spec else { return }
        await release(ips: ServiceAllocationPlan.heldIPs(spec).sorted(),
                      nodePorts: ServiceAllocationPlan.heldNodePorts(spec).sorted(), uid: uid)
    }

    /// Deletes `key` if `uid` still owns it (best effort: the repair pass catches what this misses).
    func release(key: String, uid: String) async {
        guard let current = try? await store.get(key), String(decoding: current.value, as: UTF8.self) == uid else { return }
        _ = try? await store.delete(key, expectedRevision: current.modRevision)
    }

    // MARK: Claims

    /// Creates `key` owned by `uid`; true if it is now (or already was) ours.
    private func claim(_ key: String, uid: String, dryRun: Bool, into reservation: inout Reservation) async throws(APIError) -> Bool {
        do {
            if dryRun {
                guard let existing = try await store.get(key) else { return true }
                return String(decoding: existing.value, as: UTF8.self) == uid
            }
            try await store.create(key, value: Data(uid.utf8))
            reservation.keys.append(key)
            return true
        } catch StoreError.alreadyExists {
            let existing = try? await store.get(key)
            return existing.map { String(decoding: $0.value, as: UTF8.self) == uid } ?? false
        } catch {
            throw StoreErrors.map(error, request: nil)
        }
    }

    private func allocateIP(uid: String, dryRun: Bool, into reservation: inout Reservation) async throws(APIError) -> String {
        let bands = ranges.automaticIPOffsets
        for band in [bands.preferred, bands.rest] where !band.isEmpty {
            if let offset = try await firstFree(in: band.lowerBound..<band.upperBound, prefix: Self.ipPrefix,
                                                name: { ranges.address(at: UInt32($0)) }, uid: uid, dryRun: dryRun,
                                                into: &reservation) {
                return ranges.address(at: UInt32(offset))
            }
        }
        throw APIError.internalError("failed to allocate a serviceIP: range is full")
    }

    private func allocateNodePort(uid: String, dryRun: Bool, into reservation: inout Reservation) async throws(APIError) -> Int32 {
        let bands = ranges.automaticNodePorts
        for band in [bands.preferred, bands.rest].compactMap({ $0 }) {
            if let port = try await firstFree(in: UInt32(band.lowerBound)..<UInt32(band.upperBound) + 1,
                                              prefix: Self.nodePortPrefix, name: { String($0) }, uid: uid,
                                              dryRun: dryRun, into: &reservation) {
                return Int32(port)
            }
        }
        throw APIError.internalError("failed to allocate a nodePort: range is full")
    }

    /// A free value of `band`: a few random tries, then a scan from a random start past the values the store
    /// lists as taken. Claims it (unless `dryRun`).
    private func firstFree(in band: Range<UInt32>, prefix: String, name: (UInt32) -> String, uid: String, dryRun: Bool,
                           into reservation: inout Reservation) async throws(APIError) -> UInt32? {
        for _ in 0..<8 {
            let candidate = UInt32.random(in: band)
            if try await claim(prefix + name(candidate), uid: uid, dryRun: dryRun, into: &reservation) { return candidate }
        }
        let taken: Set<String>
        do {
            taken = Set(try await store.list(prefix: prefix, revision: nil, limit: nil, after: nil).items.map(\.key))
        } catch {
            throw StoreErrors.map(error, request: nil)
        }
        let start = UInt32.random(in: band)
        for step in 0..<UInt32(band.count) {
            let candidate = band.lowerBound + (start - band.lowerBound + step) % UInt32(band.count)
            let key = prefix + name(candidate)
            if taken.contains(key) { continue }
            if try await claim(key, uid: uid, dryRun: dryRun, into: &reservation) { return candidate }
        }
        return nil
    }
}
