/// Picks the node with the highest total score; among equal best scores each is chosen
/// with equal probability, by reservoir sampling as Kubernetes' `selectHost` does (the
/// n-th tie replaces the choice with probability 1/n).
public enum HostSelection {
    /// The index into `scores` of the chosen node; nil for no scores.
    public static func select(_ scores: [Int64], using generator: inout some RandomNumberGenerator) -> Int? {
        guard var best = scores.indices.first else { return nil }
        var ties = 1
        for index in scores.indices.dropFirst() {
            if scores[index] > scores[best] {
                best = index
                ties = 1
            } else if scores[index] == scores[best] {
                ties += 1
                if Int.random(in: 0..<ties, using: &generator) == 0 { best = index }
            }
        }
        return best
    }
}
