import APIClient
import APIModel
import ControllerRuntime
import Foundation
import Testing
import TestSupport

@Suite("Event recorder")
struct EventRecorderTests {
    @Test("Events are written about the object, and repeats bump the count")
    func writesAndBumps() async throws {
        try await InProcessCluster.with { cluster in
            let client = cluster.client
            let pod = try await client.create(Pod(metadata: ObjectMeta(name: "p1", namespace: "default"),
                                                  spec: PodSpec(containers: [Container(image: "busybox:1.36", name: "a")])))
            let recorder = EventRecorder(client: client, component: "default-scheduler")
            let running = Task { await recorder.run() }
            defer { running.cancel() }
            recorder.record(pod, type: .warning, reason: "FailedScheduling", message: "0/1 nodes are available: 1 Insufficient cpu.")
            recorder.record(pod, type: .warning, reason: "FailedScheduling", message: "0/1 nodes are available: 1 Insufficient cpu.")
            try await eventually("the event counted twice") {
                let events = try await client.listItems(Event.self, namespace: "default").items
                return events.count == 1 && events[0].count == 2
            }
            let event = try #require(try await client.listItems(Event.self, namespace: "default").items.first)
            #expect(event.involvedObject?.kind == "Pod")
            #expect(event.involvedObject?.uid == pod.metadata?.uid)
            #expect(event.reason == "FailedScheduling")
            #expect(event.type == "Warning")
            #expect(event.source?.component == "default-scheduler")
            #expect(event.firstTimestamp != nil && event.lastTimestamp != nil)
            #expect(event.metadata?.name?.hasPrefix("p1.") == true)
        }
    }
}
