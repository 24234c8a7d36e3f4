import Testing
@testable import Scheduling

@Suite struct FeasibleNodeCountTests {
    @Test(arguments: [
        (10, 10), (99, 99), (100, 100), (150, 100), (250, 120), (1000, 420), (3000, 780), (5000, 500), (6000, 300),
        (10000, 500),
    ])
    func adaptivePercentage(nodes: Int, expected: Int) {
        #expect(FeasibleNodeCount.toFind(nodeCount: nodes) == expected)
    }

    @Test func explicitPercentage() {
        #expect(FeasibleNodeCount.toFind(nodeCount: 1000, percentage: 10) == 100)
        #expect(FeasibleNodeCount.toFind(nodeCount: 1000, percentage: 100) == 1000)
        #expect(FeasibleNodeCount.toFind(nodeCount: 500, percentage: 5) == 100)
    }
}
