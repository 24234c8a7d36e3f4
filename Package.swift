// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "skiff",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "skiff", targets: ["skiff"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket.git", from: "1.6.2"),
        .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
    ],
    targets: [
        // Codable value types mirroring the Kubernetes schema, selectors, names. Foundation only.
        .target(name: "APIModel"),
        // Server-side apply and managedFields (structured-merge-diff semantics) over JSON values. Foundation only.
        .target(name: "FieldManagement", dependencies: ["APIModel"]),
        // The KeyValueStore contract (etcd semantics) and the in-memory store.
        .target(name: "Storage"),
        // The embedded default store: SQLite through GRDB.
        .target(name: "StorageSQLite", dependencies: [
            "Storage",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // etcd v3 over gRPC (grpc-swift-2); the message and client code generated from schema/etcd is committed.
        .target(name: "StorageEtcd", dependencies: [
            "Storage",
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
            .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        // The cluster CA, serving and client certificates, kubeconfig.
        .target(name: "PKI", dependencies: [
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
        ]),
        // The Kubernetes REST API over HTTPS.
        .target(name: "APIServer", dependencies: [
            "APIModel", "Storage", "PKI", "APIClient", "FieldManagement",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Yams", package: "Yams"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            .product(name: "WSClient", package: "swift-websocket"),
            .product(name: "WSCore", package: "swift-websocket"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOWebSocket", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
        // A typed client of the Kubernetes API over HTTPS.
        .target(name: "APIClient", dependencies: [
            "APIModel",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        // What Skiff's components are built on: informers, work queues, the event recorder.
        .target(name: "ControllerRuntime", dependencies: [
            "APIModel", "APIClient",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The controllers that keep the cluster as declared (node lifecycle; workloads come here too).
        .target(name: "Controllers", dependencies: [
            "APIModel", "APIClient", "ControllerRuntime", "Scheduling",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Nodes that register, heartbeat and run pods without touching the host (like KWOK).
        .target(name: "SimulatedNodes", dependencies: [
            "APIModel", "APIClient", "ControllerRuntime",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The scheduler's pure core: cache, filter and score plugins, the algorithm, the queue.
        .target(name: "Scheduling", dependencies: [
            "APIModel", "APIClient", "ControllerRuntime",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The node's image store: blobs, image archives, unpacked layers.
        .target(name: "ContainerImages", dependencies: [
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
        // Containers through an OCI runtime (runc, crun): specs from pod and image, the runtime driven.
        .target(name: "ContainerRuntime", dependencies: [
            "APIModel",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "PodNetwork", dependencies: ["APIModel", .product(name: "Logging", package: "swift-log")]),
        // The system's zlib (SPDY header blocks).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // The node's streaming server (the kubelet's /containerLogs, /exec and /portForward over HTTPS, WebSocket
        // and SPDY/3.1).
        .target(name: "NodeStreaming", dependencies: [
            "APIModel", "ContainerRuntime", "PKI", "CZlib",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // The node agent (kubelet): pod workers as pure state machines, status generation, probes.
        .target(name: "NodeAgent", dependencies: [
            "APIModel", "ContainerRuntime",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        // The service proxy: Services and EndpointSlices as nftables rules in the node's namespace, or relayed in
        // userspace (SwiftNIO) where nftables is unavailable.
        .target(name: "ServiceProxy", dependencies: [
            "APIModel", "APIClient", "ControllerRuntime", "PodNetwork",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        // The cluster DNS: records from Services and EndpointSlices, a DNS server on UDP and TCP.
        .target(name: "ClusterDNS", dependencies: [
            "APIModel", "APIClient", "ControllerRuntime",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        // The node agent as a service: node registration and heartbeat, pod workers driven against the real
        // runtime, images, network and volumes; adoption at start.
        .target(name: "NodeAgentService", dependencies: [
            "NodeAgent", "ContainerRuntime", "ContainerImages", "PodNetwork", "APIModel", "APIClient", "ControllerRuntime",
            "NodeStreaming", "ServiceProxy", "ClusterDNS",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // Fixtures and suites shared by the test targets (the store conformance suite).
        .target(name: "TestSupport", dependencies: [
            "Storage", "APIModel", "APIServer", "APIClient",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "skiff", dependencies: [
            "APIModel", "Storage", "StorageSQLite", "StorageEtcd", "PKI", "APIServer", "APIClient", "ControllerRuntime", "Controllers",
            "SimulatedNodes", "Scheduling", "ContainerImages", "ContainerRuntime", "NodeAgentService", "NodeStreaming", "ClusterDNS",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .testTarget(name: "APIModelTests", dependencies: ["APIModel"]),
        .testTarget(name: "FieldManagementTests", dependencies: ["FieldManagement", "APIModel"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "TestSupport"]),
        .testTarget(name: "StorageSQLiteTests", dependencies: ["StorageSQLite", "Storage", "TestSupport"]),
        .testTarget(name: "StorageEtcdTests", dependencies: [
            "StorageEtcd", "Storage", "TestSupport", .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .testTarget(name: "PKITests", dependencies: ["PKI"]),
        .testTarget(name: "APIServerTests", dependencies: [
            "APIServer", "APIModel", "APIClient", "Storage", "TestSupport", "PKI",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
        .testTarget(name: "APIClientTests", dependencies: ["APIClient", "APIModel"]),
        .testTarget(name: "ControllersTests", dependencies: [
            "Controllers", "SimulatedNodes", "ControllerRuntime", "APIClient", "APIModel", "TestSupport", "Scheduling",
        ]),
        .testTarget(name: "SimulatedNodesTests", dependencies: [
            "SimulatedNodes", "ControllerRuntime", "APIClient", "APIModel", "TestSupport",
        ]),
        .testTarget(name: "ControllerRuntimeTests", dependencies: [
            "ControllerRuntime", "APIClient", "APIModel", "TestSupport",
        ]),
        .testTarget(name: "ContainerImagesTests", dependencies: ["ContainerImages"]),
        .testTarget(name: "ContainerRuntimeTests", dependencies: ["ContainerRuntime", "APIModel"]),
        .testTarget(name: "PodNetworkTests", dependencies: ["PodNetwork", "ServiceProxy", "APIModel"]),
        .testTarget(name: "ServiceProxyTests", dependencies: [
            "ServiceProxy", "PodNetwork", "APIModel",
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .testTarget(name: "ClusterDNSTests", dependencies: [
            "ClusterDNS", "APIModel", "APIClient", "TestSupport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .testTarget(name: "NodeAgentTests", dependencies: [
            "NodeAgent", "APIModel", "ContainerRuntime",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .testTarget(name: "NodeAgentServiceTests", dependencies: [
            "NodeAgentService", "NodeAgent", "ContainerRuntime", "APIModel",
        ]),
        .testTarget(name: "NodeStreamingTests", dependencies: [
            "NodeStreaming", "ContainerRuntime", "APIServer", "APIClient", "APIModel", "PKI", "Storage", "TestSupport",
            .product(name: "WSClient", package: "swift-websocket"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
        .testTarget(name: "SchedulingTests", dependencies: [
            "Scheduling", "APIModel", "APIClient", "ControllerRuntime", "SimulatedNodes", "TestSupport",
        ]),
    ]
)
