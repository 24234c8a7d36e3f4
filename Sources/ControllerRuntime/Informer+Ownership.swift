import APIModel

extension Informer {
    /// What an owner's sync looks at when it claims objects (Kubernetes' `Claim…` over the namespace): the
    /// objects it controls (kept or released) and the objects of its namespace without a controller (adopted
    /// when they match). Objects controlled by anyone else are never claimed, so they are not read.
    public func ownedOrAdoptable<Owner: KubernetesObject>(by owner: Owner) -> [Object] {
        let controlled = owner.metadata?.uid.map { list(controlledBy: $0) } ?? []
        return controlled + orphans(in: owner.metadata?.namespace)
    }
}
