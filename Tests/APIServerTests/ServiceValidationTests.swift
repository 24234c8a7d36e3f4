import APIModel
import Foundation
import Testing
@testable import APIServer

/// Service validation through the API: ports, names, types, selectors, session affinity, cluster IPs.
@Suite("Service validation")
struct ServiceValidationTests {
    static let services = "/api/v1/namespaces/default/services"

    static func service(_ spec: String, name: String = "bad") -> String {
        #"{"metadata":{"name":"\#(name)"},"spec":\#(spec)}"#
    }

    static let cases: [Rejection] = [
        Rejection(label: "name not a DNS-1035 label", path: services,
                  body: service(#"{"ports":[{"port":80}]}"#, name: "1web"),
                  causes: [#"metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"#]),
        Rejection(label: "no ports", path: services, body: service(#"{"selector":{"app":"web"}}"#),
                  causes: ["spec.ports: Required value"]),
        Rejection(label: "port 0 (the target port defaults to it)", path: services, body: service(#"{"ports":[{"port":0}]}"#),
                  causes: ["spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
                           "spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive"]),
        Rejection(label: "port out of range", path: services, body: service(#"{"ports":[{"port":65536,"targetPort":80}]}"#),
                  causes: ["spec.ports[0].port: Invalid value: 65536: must be between 1 and 65535, inclusive"]),
        Rejection(label: "two ports without names", path: services, body: service(#"{"ports":[{"port":80},{"port":443}]}"#),
                  causes: ["spec.ports[0].name: Required value", "spec.ports[1].name: Required value"]),
        Rejection(label: "duplicate port names", path: services,
                  body: service(#"{"ports":[{"name":"web","port":80},{"name":"web","port":443}]}"#),
                  causes: [#"spec.ports[1].name: Duplicate value: "web""#]),
        Rejection(label: "port name not a DNS label", path: services,
                  body: service(#"{"ports":[{"name":"Web","port":80}]}"#),
                  causes: [#"spec.ports[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"#]),
        Rejection(label: "same port and protocol twice", path: services,
                  body: service(#"{"ports":[{"name":"a","port":80},{"name":"b","port":80,"targetPort":8080}]}"#),
                  causes: [#"spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}"#]),
        Rejection(label: "unknown protocol", path: services, body: service(#"{"ports":[{"port":80,"protocol":"HTTP"}]}"#),
                  causes: [#"spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP""#]),
        Rejection(label: "target port out of range", path: services,
                  body: service(#"{"ports":[{"port":80,"targetPort":70000}]}"#),
                  causes: ["spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive"]),
        Rejection(label: "target port name invalid", path: services,
                  body: service(#"{"ports":[{"port":80,"targetPort":"http_port"}]}"#),
                  causes: [#"spec.ports[0].targetPort: Invalid value: "http_port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"#]),
        Rejection(label: "node port on a ClusterIP service", path: services,
                  body: service(#"{"ports":[{"port":80,"nodePort":30080}]}"#),
                  causes: ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]),
        Rejection(label: "unknown type", path: services, body: service(#"{"type":"Public","ports":[{"port":80}]}"#),
                  causes: [#"spec.type: Unsupported value: "Public": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort""#]),
        Rejection(label: "unknown session affinity", path: services,
                  body: service(#"{"sessionAffinity":"Sticky","ports":[{"port":80}]}"#),
                  causes: [#"spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None""#]),
        Rejection(label: "selector value not a label value", path: services,
                  body: service(#"{"selector":{"app":"web app"},"ports":[{"port":80}]}"#),
                  causes: [#"spec.selector: Invalid value: "web app": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"#]),
        Rejection(label: "ExternalName without a name", path: services, body: service(#"{"type":"ExternalName"}"#),
                  causes: ["spec.externalName: Required value"]),
        Rejection(label: "headless NodePort", path: services,
                  body: service(#"{"type":"NodePort","clusterIP":"None","ports":[{"port":80}]}"#),
                  causes: [#"spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for NodePort services"#]),
        Rejection(label: "cluster IP that is not an IP", path: services,
                  body: service(#"{"clusterIP":"10.0.0.300","ports":[{"port":80}]}"#),
                  causes: [#"spec.clusterIPs[0]: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"#]),
        Rejection(label: "unknown IP family", path: services,
                  body: service(#"{"ipFamilies":["IPv5"],"ports":[{"port":80}]}"#),
                  causes: [#"spec.ipFamilies[0]: Unsupported value: "IPv5": supported values: "IPv4", "IPv6""#]),
        Rejection(label: "external traffic policy on a ClusterIP service", path: services,
                  body: service(#"{"externalTrafficPolicy":"Local","ports":[{"port":80}]}"#),
                  causes: [#"spec.externalTrafficPolicy: Invalid value: "Local": may only be set when `type` is 'NodePort' or 'LoadBalancer'"#]),
    ]

    @Test("Invalid services are refused with Kubernetes' causes, and not stored", arguments: cases)
    func invalidService(_ rejection: Rejection) async throws {
        try await TestAPI.with { api async throws in
            try await api.expectInvalid(rejection.path, rejection.body, causes: rejection.causes)
            let name = rejection.body.contains(#""name":"1web""#) ? "1web" : "bad"
            #expect(try await api.get(rejection.path + "/" + name).status == 404)
        }
    }

    @Test("The cluster IP cannot change once set; an update that leaves it out keeps it")
    func clusterIPImmutable() async throws {
        try await TestAPI.with { api async throws in
            try await api.create(Self.services, Self.service(#"{"clusterIP":"10.43.0.20","ports":[{"port":80}]}"#, name: "web"))
            let changed = try await api.patch(Self.services + "/web", #"{"spec":{"clusterIP":"10.43.0.21"}}"#)
            #expect(changed.status == 422)
            #expect(try changed.json()["message"] == .string(#"Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.43.0.21"}: may not change once set"#))
            let put = try await api.put(Self.services + "/web",
                                        Self.service(#"{"ports":[{"port":8080}]}"#, name: "web"))
            #expect(put.status == 200, "\(put)")
            let spec = try put.json()["spec"]
            #expect(spec?["clusterIP"] == .string("10.43.0.20"))
            #expect(spec?["clusterIPs"] == .array([.string("10.43.0.20")]))
        }
    }

    @Test("Valid services of every type are accepted")
    func validServices() async throws {
        try await TestAPI.with { api async throws in
            try await api.create(Self.services, Self.service(#"{"type":"NodePort","ports":[{"name":"http","port":80,"nodePort":30080},{"name":"dns","port":53,"protocol":"UDP"}]}"#, name: "np"))
            try await api.create(Self.services, Self.service(#"{"type":"ExternalName","externalName":"example.com."}"#, name: "ext"))
            try await api.create(Self.services, Self.service(#"{"clusterIP":"None","selector":{"app":"db"}}"#, name: "headless"))
            try await api.create(Self.services, Self.service(#"{"type":"LoadBalancer","ports":[{"port":443,"targetPort":"https"}]}"#, name: "lb"))
        }
    }
}
