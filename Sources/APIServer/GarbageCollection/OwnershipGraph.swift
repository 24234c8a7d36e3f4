import APIModel

/// Who owns whom, by uid, and what the garbage collector must do when it changes. Pure state: the
/// `GarbageCollector` feeds it cache events and carries out the actions.
///
/// Rules (Kubernetes' garbage collector):
/// - a dependent none of whose owners exists any more is deleted (background cascading);
/// - a dependent of a vanished owner that still has other owners only loses the dangling reference;
/// - an owner deleting with the `orphan` finalizer: its dependents lose their reference to it, then the
///   finalizer is removed;
/// - an owner deleting with the `foregroundDeletion` finalizer: its dependents are deleted, and once none is
///   left the finalizer is removed.
/// Owner references to kinds Skiff does not serve are left alone (the owner cannot be looked up).
struct OwnershipGraph {
    struct Node: Equatable {
        var key: String
        var owners: [OwnerReference]
        var finalizers: [String]
        var isDeleting: Bool
    }

    enum Action: Equatable {
        /// Delete (or, with finalizers, mark for deletion) the object.
        case delete(key: String, uid: String)
        /// Remove the owner references with these uids from the object.
        case removeOwnerReferences(key: String, uid: String, owners: Set<String>)
        /// Remove a finalizer from the object (deleting it if that was the last one).
        case removeFinalizer(key: String, uid: String, finalizer: String)
    }

    static let orphan = "orphan"
    static let foregroundDeletion = "foregroundDeletion"

    /// Whether owner references of this apiVersion and kind can be resolved.
    let isServed: (_ apiVersion: String, _ kind: String) -> Bool

    private(set) var nodes: [String: Node] = [:]
    private var dependents: [String: Set<String>] = [:]

    init(isServed: @escaping (_ apiVersion: String, _ kind: String) -> Bool) {
        self.isServed = isServed
    }

    /// Records an object's current state; returns what must happen now.
    mutating func upsert(uid: String, node: Node) -> [Action] {
        guard !uid.isEmpty else { return [] }
        let previousOwners = nodes[uid]?.owners ?? []
        if let old = nodes[uid] { unlink(uid, from: old.owners) }
        nodes[uid] = node
        for owner in node.owners { if let ownerUID = owner.uid { dependents[ownerUID, default: []].insert(uid) } }
        var actions = evaluateDependent(uid)
        if node.isDeleting {
            // An owner entering foreground or orphaning deletion acts on its dependents.
            for dependent in (dependents[uid] ?? []).sorted() { actions += evaluateDependent(dependent) }
        }
        actions += evaluateOwner(uid)
        // Owners this object no longer references may be waiting for exactly that.
        let current = Set(node.owners.compactMap(\.uid))
        for owner in previousOwners {
            if let ownerUID = owner.uid, !current.contains(ownerUID) { actions += evaluateOwner(ownerUID) }
        }
        return actions
    }

    /// Records an object's removal; returns what must happen now.
    mutating func remove(uid: String) -> [Action] {
        guard let old = nodes.removeValue(forKey: uid) else { return [] }
        unlink(uid, from: old.owners)
        var actions: [Action] = []
        for dependent in (dependents[uid] ?? []).sorted() { actions += evaluateDependent(dependent) }
        // Owners waiting for their dependents to go may now be done.
        for owner in old.owners { if let ownerUID = owner.uid { actions += evaluateOwner(ownerUID) } }
        return actions
    }

    /// Everything that must happen for the whole graph (after a full load).
    func pendingActions() -> [Action] {
        nodes.keys.sorted().flatMap { evaluateDependent($0) + evaluateOwner($0) }
    }

    private mutating func unlink(_ uid: String, from owners: [OwnerReference]) {
        for owner in owners {
            guard let ownerUID = owner.uid else { continue }
            dependents[ownerUID]?.remove(uid)
            if dependents[ownerUID]?.isEmpty == true { dependents[ownerUID] = nil }
        }
    }

    /// A dependent whose owners are gone is deleted; references to vanished or orphaning owners are removed.
    private func evaluateDependent(_ uid: String) -> [Action] {
        guard let node = nodes[uid], !node.owners.isEmpty else { return [] }
        var live = 0
        var drop: Set<String> = []
        for owner in node.owners {
            guard let ownerUID = owner.uid, isServed(owner.apiVersion ?? "", owner.kind ?? "") else {
                live += 1
                continue
            }
            if let ownerNode = nodes[ownerUID] {
                if ownerNode.isDeleting && ownerNode.finalizers.contains(Self.orphan) {
                    drop.insert(ownerUID)
                } else {
                    live += 1
                }
            } else {
                drop.insert(ownerUID)
            }
        }
        let orphaned = node.owners.contains { owner in
            owner.uid.map { nodes[$0]?.isDeleting == true && nodes[$0]?.finalizers.contains(Self.orphan) == true } ?? false
        }
        let foreground = node.owners.contains { owner in
            owner.uid.map { nodes[$0]?.isDeleting == true && nodes[$0]?.finalizers.contains(Self.foregroundDeletion) == true } ?? false
        }
        if foreground && !node.isDeleting { return [.delete(key: node.key, uid: uid)] }
        if live == 0 && !orphaned {
            return node.isDeleting ? [] : [.delete(key: node.key, uid: uid)]
        }
        return drop.isEmpty ? [] : [.removeOwnerReferences(key: node.key, uid: uid, owners: drop)]
    }

    /// An orphaning or foreground-deleting owner with no dependents left loses that finalizer.
    private func evaluateOwner(_ uid: String) -> [Action] {
        guard let node = nodes[uid], node.isDeleting else { return [] }
        let remaining = dependents[uid] ?? []
        var actions: [Action] = []
        if node.finalizers.contains(Self.orphan) {
            if remaining.isEmpty { actions.append(.removeFinalizer(key: node.key, uid: uid, finalizer: Self.orphan)) }
        }
        if node.finalizers.contains(Self.foregroundDeletion), remaining.isEmpty {
            actions.append(.removeFinalizer(key: node.key, uid: uid, finalizer: Self.foregroundDeletion))
        }
        return actions
    }
}
