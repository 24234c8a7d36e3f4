import StorageEtcd
import Testing

/// Parsing of `--datastore-endpoint` values.
@Suite struct EtcdEndpointsTests {
    @Test func etcdSchemeWithSeveralEndpoints() throws {
        #expect(try EtcdEndpoints(parsing: "etcd://h1:2379,h2:2379").endpoints == [
            EtcdEndpoint(host: "h1", port: 2379), EtcdEndpoint(host: "h2", port: 2379),
        ])
    }

    @Test func httpSchemeOnEachOrTheFirst() throws {
        let expected = [EtcdEndpoint(host: "10.0.0.1", port: 2379), EtcdEndpoint(host: "10.0.0.2", port: 22379)]
        #expect(try EtcdEndpoints(parsing: "http://10.0.0.1:2379,http://10.0.0.2:22379").endpoints == expected)
        #expect(try EtcdEndpoints(parsing: "http://10.0.0.1:2379/, 10.0.0.2:22379").endpoints == expected)
        #expect(try EtcdEndpoints(parsing: "HTTP://10.0.0.1:2379,10.0.0.2:22379").endpoints == expected)
    }

    @Test func bracketedIPv6() throws {
        let endpoints = try EtcdEndpoints(parsing: "etcd://[::1]:2379").endpoints
        #expect(endpoints == [EtcdEndpoint(host: "::1", port: 2379)])
        #expect(endpoints[0].description == "[::1]:2379")
    }

    @Test(arguments: [
        ("", "empty"),
        ("h1:2379", "no scheme"),
        ("https://h1:2379", "unsupported scheme"),
        ("unix://socket", "unsupported scheme"),
        ("etcd://h1", "no port"),
        ("etcd://h1:0", "no valid port"),
        ("etcd://h1:70000", "no valid port"),
        ("etcd://h1:port", "no valid port"),
        ("etcd://:2379", "no valid host"),
        ("etcd://h1:2379,", "an empty endpoint"),
        ("etcd://::1:2379", "brackets"),
        ("etcd://user@h1:2379", "no valid host"),
    ])
    func badValuesAreRefusedWithAReason(value: String, reason: String) {
        #expect {
            try EtcdEndpoints(parsing: value)
        } throws: { error in
            (error as? EtcdEndpointError)?.description.contains(reason) == true
        }
    }
}
