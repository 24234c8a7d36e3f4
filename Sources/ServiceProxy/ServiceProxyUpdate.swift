/// The change from installed rules to new ones as one `nft -f` transaction that touches only the Service ports
/// that changed (pure), so an endpoint change costs the same with 10 Services or 1,000.
///
/// For each changed Service port: its old map elements are deleted and its old chains flushed, then its new
/// chains (created if missing) get their rules and its new elements are added, and last the chains and sets it
/// no longer needs are deleted (empty by then, and no longer referenced). Everything is one transaction: it
/// applies whole or not at all. It is only valid against exactly `old` as installed — the caller falls back
/// to the full script (`ServiceProxyRules.script()`) when it fails.
public struct ServiceProxyUpdate: Equatable, Sendable {
    public let old: ServiceProxyRules
    public let new: ServiceProxyRules

    public init(from old: ServiceProxyRules, to new: ServiceProxyRules) {
        self.old = old
        self.new = new
    }

    /// The Service ports whose rules change.
    public var changed: [String] {
        let before = Dictionary(old.services.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(new.services.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
    }

    /// The transaction; empty when nothing changed.
    public func script() -> String {
        let table = "ip \(new.tableName)"
        let before = Dictionary(old.services.map { ($0.name, ServiceChains($0)) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(new.services.map { ($0.name, ServiceChains($0)) }, uniquingKeysWith: { first, _ in first })
        var removeElements: [String] = [], flush: [String] = [], add: [String] = [], delete: [String] = []
        for name in changed {
            let was = before[name], will = after[name]
            for (map, element) in was?.elements ?? [] {
                removeElements.append("delete element \(table) \(map) { \(element.components(separatedBy: " : ")[0]) }")
            }
            let oldChains = Set(was?.chains.map(\.name) ?? []), newChains = Set(will?.chains.map(\.name) ?? [])
            let oldSets = Set(was?.sets.map(\.name) ?? []), newSets = Set(will?.sets.map(\.name) ?? [])
            for chain in oldChains.sorted() { flush.append("flush chain \(table) \(chain)") }
            for (name, body) in will?.sets ?? [] where !oldSets.contains(name) {
                add.append("add set \(table) \(name) { \(body) }")
            }
            // Every new chain exists before any rule jumps to it.
            for (chain, _) in will?.chains ?? [] where !oldChains.contains(chain) {
                add.append("add chain \(table) \(chain)")
            }
            for (chain, rules) in will?.chains ?? [] {
                add += rules.map { "add rule \(table) \(chain) \($0)" }
            }
            for (map, element) in will?.elements ?? [] { add.append("add element \(table) \(map) { \(element) }") }
            // The Service chain goes before the endpoint chains it referred to, sets after the rules using them.
            let stale = oldChains.subtracting(newChains).sorted { $0.hasPrefix("svc_") && !$1.hasPrefix("svc_") }
            delete += stale.map { "delete chain \(table) \($0)" }
            delete += oldSets.subtracting(newSets).sorted().map { "delete set \(table) \($0)" }
        }
        let lines = removeElements + flush + add + delete
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }
}
