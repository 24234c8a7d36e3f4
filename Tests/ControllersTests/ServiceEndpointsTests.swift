import APIModel
import Foundation
import Testing
@testable import Controllers

@Suite struct ServiceEndpointsTests {
    static func service(selector: [String: String] = ["app": "web"], ports: [ServicePort] = [ServicePort(port: 80, targetPort: .int(8080))],
                        publishNotReady: Bool? = nil) -> Service {
        var spec = ServiceSpec()
        spec.selector = selector
        spec.ports = ports
        spec.publishNotReadyAddresses = publishNotReady
        return Service(metadata: ObjectMeta(name: "web", namespace: "ns", uid: "svc-uid"), spec: spec)
    }

    static func pod(_ name: String, ip: String?, ready: Bool = true, labels: [String: String] = ["app": "web"],
                    namespace: String = "ns", phase: String = "Running", restartPolicy: String? = nil,
                    terminating: Bool = false, ports: [ContainerPort] = [], hostname: String? = nil,
                    subdomain: String? = nil) -> Pod {
        var pod = Pod(metadata: ObjectMeta(labels: labels, name: name, namespace: namespace, uid: name + "-uid"))
        var container = Container()
        container.name = "c"
        container.ports = ports
        var spec = PodSpec()
        spec.containers = [container]
        spec.nodeName = "node-1"
        spec.restartPolicy = restartPolicy
        spec.hostname = hostname
        spec.subdomain = subdomain
        pod.spec = spec
        var status = PodStatus()
        status.podIP = ip
        status.phase = phase
        status.conditions = [PodCondition(status: ready ? "True" : "False", type: "Ready")]
        pod.status = status
        if terminating { pod.metadata?.deletionTimestamp = Time(Date()) }
        return pod
    }

    @Test func readyAndNotReadyPodsInIPOrder() {
        let computed = ServiceEndpoints(service: Self.service(), pods: [
            Self.pod("b", ip: "10.42.0.10"), Self.pod("a", ip: "10.42.0.9", ready: false),
            Self.pod("none", ip: nil), Self.pod("other", ip: "10.42.0.3", labels: ["app": "db"]),
            Self.pod("elsewhere", ip: "10.42.0.4", namespace: "ns2"),
        ])
        #expect(computed.groups.count == 1)
        #expect(computed.groups[0].addresses.map(\.ip) == ["10.42.0.9", "10.42.0.10"])
        let subsets = computed.subsets()
        #expect(subsets.count == 1)
        #expect(subsets[0].addresses?.map(\.ip) == ["10.42.0.10"])
        #expect(subsets[0].notReadyAddresses?.map(\.ip) == ["10.42.0.9"])
        #expect(subsets[0].ports == [EndpointPort(port: 8080, protocol: "TCP")])
        #expect(subsets[0].addresses?[0].targetRef == ObjectReference(kind: "Pod", name: "b", namespace: "ns", uid: "b-uid"))
    }

    @Test func terminatingPodsStayInSlicesOnly() {
        let computed = ServiceEndpoints(service: Self.service(), pods: [Self.pod("a", ip: "10.42.0.2", terminating: true)])
        #expect(computed.subsets().isEmpty)
        let endpoint = ServiceEndpoints.sliceEndpoints(computed.groups[0])[0]
        #expect(endpoint.conditions == EndpointConditions(ready: false, serving: true, terminating: true))
        let published = ServiceEndpoints(service: Self.service(publishNotReady: true),
                                         pods: [Self.pod("a", ip: "10.42.0.2", ready: false)])
        #expect(published.subsets(publishNotReadyAddresses: true)[0].addresses?.map(\.ip) == ["10.42.0.2"])
    }

    @Test func finishedPodsFollowTheirRestartPolicy() {
        #expect(!ServiceEndpoints.takesPart(Self.pod("a", ip: "1.1.1.1", phase: "Failed", restartPolicy: "Never")))
        #expect(ServiceEndpoints.takesPart(Self.pod("a", ip: "1.1.1.1", phase: "Failed", restartPolicy: "OnFailure")))
        #expect(!ServiceEndpoints.takesPart(Self.pod("a", ip: "1.1.1.1", phase: "Succeeded", restartPolicy: "OnFailure")))
        #expect(ServiceEndpoints.takesPart(Self.pod("a", ip: "1.1.1.1", phase: "Succeeded")))
    }

    @Test func namedTargetPortsGroupPodsByWhatTheyResolve() {
        let service = Self.service(ports: [ServicePort(name: "http", port: 80, targetPort: .string("web"))])
        let computed = ServiceEndpoints(service: service, pods: [
            Self.pod("a", ip: "10.42.0.2", ports: [ContainerPort(containerPort: 8080, name: "web")]),
            Self.pod("b", ip: "10.42.0.3", ports: [ContainerPort(containerPort: 9090, name: "web")]),
            Self.pod("c", ip: "10.42.0.4", ports: [ContainerPort(containerPort: 9090, name: "web", protocol: "UDP")]),
        ])
        #expect(computed.groups.map { $0.ports.map(\.port) } == [[8080], [9090]])
        #expect(computed.groups.map { $0.addresses.map(\.ip) } == [["10.42.0.2"], ["10.42.0.3"]])
    }

    @Test func hostnamesWhenTheSubdomainNamesTheService() {
        let computed = ServiceEndpoints(service: Self.service(), pods: [
            Self.pod("a", ip: "10.42.0.2", hostname: "db-0", subdomain: "web"),
            Self.pod("b", ip: "10.42.0.3", hostname: "db-1", subdomain: "other"),
        ])
        #expect(computed.groups[0].addresses.map(\.hostname) == ["db-0", nil])
    }

    @Test func slicesHoldAHundredEndpointsAndOneEmptyWhenNone() {
        let pods = (0..<250).map { Self.pod("p\($0)", ip: "10.42.\($0 / 200).\($0 % 200 + 2)") }
        let slices = EndpointsController.desiredSlices(ServiceEndpoints(service: Self.service(), pods: pods))
        #expect(slices.map(\.endpoints.count) == [100, 100, 50])
        let none = EndpointsController.desiredSlices(ServiceEndpoints(service: Self.service(), pods: []))
        #expect(none == [EndpointsController.DesiredSlice(ports: [], endpoints: [])])
        #expect(!ServiceEndpoints.manages(Self.service(selector: [:])))
    }
}
