/// The versions of `apidiscovery.k8s.io` in which `/api` and `/apis` can answer with an aggregated
/// `APIGroupDiscoveryList`. kubectl 1.30+ asks for `v2` first and then `v2beta1`; kubectl 1.27–1.29 and
/// client-go of that era know only `v2beta1`. Both bodies have the same shape.
public enum AggregatedDiscoveryVersion: String, Sendable, Hashable, CaseIterable {
    case v2
    case v2beta1

    /// The `apiVersion` of the `APIGroupDiscoveryList` body, e.g. `apidiscovery.k8s.io/v2`.
    public var apiVersion: String { "\(AggregatedDiscoveryVersion.group)/\(rawValue)" }

    /// The API group of the aggregated discovery types.
    static let group = "apidiscovery.k8s.io"
    /// The kind clients ask for with `as=` in their Accept header.
    static let listKind = "APIGroupDiscoveryList"
}
