import APIModel

/// Amounts of resources in the integer units the scheduler compares: millicores of CPU,
/// bytes of memory and ephemeral storage, and units of each scalar (extended, hugepages…)
/// resource (Kubernetes' `framework.Resource`, without the pod count).
///
/// Quantities are converted once, when a pod or node enters the scheduler; filtering and
/// scoring then only add and compare integers.
public struct ResourceAmounts: Hashable, Sendable {
    /// CPU in millicores.
    public var milliCPU: Int64
    /// Memory in bytes.
    public var memory: Int64
    /// Ephemeral storage in bytes.
    public var ephemeralStorage: Int64
    /// Scalar resources by name, in units (`Quantity.value`); never holds zero entries
    /// that were not present in the source list.
    public var scalar: [String: Int64]

    /// Nothing.
    public static let zero = ResourceAmounts()

    public init(milliCPU: Int64 = 0, memory: Int64 = 0, ephemeralStorage: Int64 = 0, scalar: [String: Int64] = [:]) {
        self.milliCPU = milliCPU
        self.memory = memory
        self.ephemeralStorage = ephemeralStorage
        self.scalar = scalar
    }

    /// The amounts of an API resource list: `cpu` as millicores, `memory` and
    /// `ephemeral-storage` as bytes rounded up, scalar resources as units rounded up;
    /// `pods` and names the scheduler ignores are dropped.
    public init(_ list: [String: Quantity]?) {
        self.init()
        guard let list else { return }
        for (name, quantity) in list { add(name, quantity) }
    }

    /// Whether every amount is zero.
    public var isZero: Bool {
        milliCPU == 0 && memory == 0 && ephemeralStorage == 0 && scalar.values.allSatisfy { $0 == 0 }
    }

    /// Adds one named quantity (ignored if the scheduler does not account that name).
    public mutating func add(_ name: String, _ quantity: Quantity) {
        switch name {
        case ResourceName.cpu: milliCPU &+= quantity.milliValue
        case ResourceName.memory: memory &+= quantity.value
        case ResourceName.ephemeralStorage: ephemeralStorage &+= quantity.value
        default:
            if ResourceName.isScalar(name) { scalar[name, default: 0] &+= quantity.value }
        }
    }

    /// The amount of one named resource in the scheduler's units (0 when absent).
    public subscript(name: String) -> Int64 {
        switch name {
        case ResourceName.cpu: milliCPU
        case ResourceName.memory: memory
        case ResourceName.ephemeralStorage: ephemeralStorage
        default: scalar[name] ?? 0
        }
    }

    /// Adds `other` to these amounts, resource by resource.
    public static func += (lhs: inout ResourceAmounts, rhs: ResourceAmounts) {
        lhs.milliCPU &+= rhs.milliCPU
        lhs.memory &+= rhs.memory
        lhs.ephemeralStorage &+= rhs.ephemeralStorage
        for (name, amount) in rhs.scalar { lhs.scalar[name, default: 0] &+= amount }
    }

    /// Subtracts `other` from these amounts, resource by resource; scalar entries that
    /// reach zero are dropped so that sums stay small.
    public static func -= (lhs: inout ResourceAmounts, rhs: ResourceAmounts) {
        lhs.milliCPU &-= rhs.milliCPU
        lhs.memory &-= rhs.memory
        lhs.ephemeralStorage &-= rhs.ephemeralStorage
        for (name, amount) in rhs.scalar {
            let left = (lhs.scalar[name] ?? 0) &- amount
            lhs.scalar[name] = left == 0 ? nil : left
        }
    }

    /// Raises each amount to `other`'s where `other`'s is larger (Kubernetes' `maxResourceList`).
    public mutating func formMaximum(with other: ResourceAmounts) {
        milliCPU = max(milliCPU, other.milliCPU)
        memory = max(memory, other.memory)
        ephemeralStorage = max(ephemeralStorage, other.ephemeralStorage)
        for (name, amount) in other.scalar { scalar[name] = max(amount, scalar[name] ?? amount) }
    }
}
