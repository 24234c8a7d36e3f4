import APIModel
import Foundation
import Testing
@testable import NodeAgent

@Suite struct ImagePullTests {
    @Test func errImagePullTurnsIntoImagePullBackOffAndRetriesWithBackoff() {
        var h = Harness(pod([container("app", image: "nope:1", pullPolicy: "IfNotPresent")]))
        h.sandboxUp()
        h.send(.imageInspected(image: "nope:1", present: false))
        #expect(h.lastEvents == ["Pulling: Pulling image \"nope:1\""])
        #expect(h.actions.contains(.pullImage("nope:1")))
        h.send(.imagePullFailed(image: "nope:1", message: "not found"))
        #expect(h.containerStatus("app")?.state?.waiting?.reason == "ErrImagePull")
        #expect(h.containerStatus("app")?.state?.waiting?.message == "not found")
        #expect(h.lastEvents == ["Failed: Failed to pull image \"nope:1\": not found", "Failed: Error: ErrImagePull"])
        #expect(h.status.phase == "Pending")

        h.advance(1)
        #expect(h.containerStatus("app")?.state?.waiting?.reason == "ImagePullBackOff")
        #expect(h.containerStatus("app")?.state?.waiting?.message == "Back-off pulling image \"nope:1\": ErrImagePull: not found")
        #expect(h.lastEvents == ["BackOff: Back-off pulling image \"nope:1\"", "Failed: Error: ImagePullBackOff"])
        #expect(h.wake == t0.addingTimeInterval(10))

        h.advance(9)
        #expect(h.actions.contains(.inspectImage("nope:1")))
        h.send(.imageInspected(image: "nope:1", present: false))
        #expect(h.actions.contains(.pullImage("nope:1")))
        h.send(.imagePullFailed(image: "nope:1", message: "not found"))
        #expect(h.wake == h.now.addingTimeInterval(1))
        h.advance(1)
        #expect(h.wake == t0.addingTimeInterval(10 + 20), "second back-off is 20 s")
    }

    @Test func alwaysPullsEvenWhenPresent() {
        var h = Harness(pod([container("app", image: "busybox:latest", pullPolicy: "Always")]))
        h.sandboxUp()
        h.send(.imageInspected(image: "busybox:latest", present: true))
        #expect(h.actions.contains(.pullImage("busybox:latest")))
        h.send(.imagePulled(image: "busybox:latest", sizeBytes: 2_000_000, seconds: 1.5))
        #expect(h.lastEvents == ["Pulled: Successfully pulled image \"busybox:latest\" in 1.5s (1.5s including waiting). Image size: 2000000 bytes."])
        #expect(h.actions.contains(.createAndStartContainer(name: "app")))
    }

    @Test func neverWithoutTheImageIsErrImageNeverPull() {
        var h = Harness(pod([container("app", pullPolicy: "Never")]))
        h.sandboxUp()
        h.send(.imageInspected(image: "busybox:1.36", present: false))
        #expect(!h.actions.contains(.pullImage("busybox:1.36")))
        #expect(h.containerStatus("app")?.state?.waiting?.reason == "ErrImageNeverPull")
        #expect(h.lastEvents.first == "ErrImageNeverPull: Container image \"busybox:1.36\" is not present with pull policy of Never")
    }

    @Test func oneImageIsPulledOnceForContainersSharingIt() {
        var h = Harness(pod([container("a", pullPolicy: "Always"), container("b", pullPolicy: "Always")]))
        h.sandboxUp()
        #expect(h.actions.filter { $0 == .inspectImage("busybox:1.36") }.count == 1)
        h.send(.imageInspected(image: "busybox:1.36", present: false))
        #expect(h.actions.filter { $0 == .pullImage("busybox:1.36") }.count == 1)
        h.send(.imagePulled(image: "busybox:1.36", sizeBytes: 1, seconds: 0.2))
        #expect(h.actions.contains(.createAndStartContainer(name: "a")))
        #expect(h.actions.contains(.createAndStartContainer(name: "b")))
    }

    @Test(arguments: [("busybox", ImagePullPolicy.always), ("busybox:latest", .always), ("busybox:1.36", .ifNotPresent),
                      ("localhost:5000/x", .always), ("localhost:5000/x:2", .ifNotPresent), ("x@sha256:ab", .ifNotPresent)])
    func defaultPullPolicy(image: String, expected: ImagePullPolicy) {
        #expect(ImagePullPolicy.defaulted(image: image) == expected)
    }
}
