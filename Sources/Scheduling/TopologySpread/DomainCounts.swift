/// Matching-pod counts per topology domain (label value) for one spread constraint.
///
/// Most topology keys have a handful of domains (zones, regions), where a linear search
/// comparing short strings beats hashing each node's value; past ``linearLimit`` domains
/// (hostname: one per node) a dictionary index takes over.
struct DomainCounts: Sendable {
    static let linearLimit = 8

    private(set) var domains: [String] = []
    private(set) var counts: [Int] = []
    private var index: [String: Int]?

    /// The number of domains.
    var domainCount: Int { domains.count }

    /// The smallest count, or nil without domains.
    var minimum: Int? { counts.min() }

    /// The position of `domain`, if present.
    func position(of domain: String) -> Int? {
        if let index { return index[domain] }
        return domains.firstIndex(of: domain)
    }

    /// The count of `domain`, if it is a domain.
    func count(of domain: String) -> Int? {
        position(of: domain).map { counts[$0] }
    }

    /// Adds `count` to `domain`, adding the domain if new.
    mutating func add(_ count: Int, to domain: String) {
        if let position = position(of: domain) {
            counts[position] += count
            return
        }
        domains.append(domain)
        counts.append(count)
        if index != nil {
            index?[domain] = domains.count - 1
        } else if domains.count > Self.linearLimit {
            index = Dictionary(uniqueKeysWithValues: domains.enumerated().map { ($1, $0) })
        }
    }

    /// Adds `count` to `domain` only if it is already a domain.
    mutating func addIfPresent(_ count: Int, to domain: String) {
        if let position = position(of: domain) { counts[position] += count }
    }

    /// Sets the count of the domain at `position`.
    mutating func setCount(_ count: Int, at position: Int) {
        counts[position] = count
    }
}
