/// A comma-separated list cut after its first three items, the rest counted: `a,b,c + 2 more...`, as
/// Kubernetes' printers show endpoints and ports.
struct AbbreviatedList {
    /// How many items are shown before the rest are only counted.
    static let limit = 3

    private var shown: [String] = []
    private var total = 0

    /// Whether no item was added.
    var isEmpty: Bool { total == 0 }

    /// Adds an item: kept while fewer than ``limit`` are shown, counted in any case.
    mutating func append(_ item: String) {
        if shown.count < Self.limit { shown.append(item) }
        total += 1
    }

    /// The shown items joined by commas, followed by ` + N more...` when items were left out.
    var text: String {
        let joined = shown.joined(separator: ",")
        return total > Self.limit ? "\(joined) + \(total - Self.limit) more..." : joined
    }
}
