import Foundation
import Testing

@testable import APIClient

@Suite struct KubeConfigTests {
    static let caPEM = "-----BEGIN CERTIFICATE-----\nMIIBcA==\n-----END CERTIFICATE-----\n"
    static let certPEM = "-----BEGIN CERTIFICATE-----\nMIIBcB==\n-----END CERTIFICATE-----\n"
    static let keyPEM = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQ==\n-----END EC PRIVATE KEY-----\n"

    static func b64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    /// The layout Skiff's PKI module renders (`Kubeconfig.render()`).
    static func skiffKubeconfig(server: String = "https://127.0.0.1:6443") -> String {
        """
        apiVersion: v1
        clusters:
        - cluster:
            certificate-authority-data: \(b64(caPEM))
            server: \(server)
          name: default
        contexts:
        - context:
            cluster: default
            user: default
          name: default
        current-context: default
        kind: Config
        preferences: {}
        users:
        - name: default
          user:
            client-certificate-data: \(b64(certPEM))
            client-key-data: \(b64(keyPEM))

        """
    }

    @Test func parsesSkiffLayout() throws {
        let config = try KubeConfig.parse(Self.skiffKubeconfig())
        #expect(config.server == "https://127.0.0.1:6443")
        #expect(config.certificateAuthorityPEM == Self.caPEM)
        #expect(config.clientCertificatePEM == Self.certPEM)
        #expect(config.clientKeyPEM == Self.keyPEM)
        #expect(config.token == nil)
    }

    @Test func readsQuotedServerAndIPv6() throws {
        #expect(try KubeConfig.parse(Self.skiffKubeconfig(server: "https://[::1]:6443")).server == "https://[::1]:6443")
        #expect(try KubeConfig.parse(Self.skiffKubeconfig(server: "\"https://host:6443/a b\"")).server == "https://host:6443/a b")
        #expect(try KubeConfig.parse(Self.skiffKubeconfig(server: "'https://it''s:1/'")).server == "https://it's:1")
        #expect(try KubeConfig.parse(Self.skiffKubeconfig(server: "https://h:1 # comment")).server == "https://h:1")
    }

    @Test func readsTokenAndIndentedSequences() throws {
        let yaml = """
            # a hand-written kubeconfig
            apiVersion: v1
            kind: Config
            clusters:
              - name: first
                cluster:
                  server: https://10.0.0.1:6443/
                  certificate-authority-data: \(Self.b64(Self.caPEM))
              - name: second
                cluster:
                  server: https://10.0.0.2:6443
            users:
              - name: admin
                user:
                  token: "abc.def"
              - name: other
                user:
                  token: other
            """
        let config = try KubeConfig.parse(yaml)
        #expect(config.server == "https://10.0.0.1:6443")
        #expect(config.certificateAuthorityPEM == Self.caPEM)
        #expect(config.token == "abc.def")
        #expect(config.clientCertificatePEM == nil)
        #expect(config.clientKeyPEM == nil)
    }

    @Test func onlyTheFirstClusterAndUserCount() throws {
        let yaml = """
            clusters:
            - cluster:
                server: https://one:1
              name: a
            - cluster:
                server: https://two:2
                certificate-authority-data: \(Self.b64("second"))
              name: b
            users:
            - name: a
              user: {}
            - name: b
              user:
                token: second
            """
        let config = try KubeConfig.parse(yaml)
        #expect(config.server == "https://one:1")
        #expect(config.certificateAuthorityPEM == nil)
        #expect(config.token == nil)
    }

    @Test func keysOutsideClusterAndUserAreIgnored() throws {
        // `server` under contexts or at the top level is not the cluster's.
        let yaml = """
            server: https://wrong:1
            contexts:
            - context:
                server: https://wrong:2
              name: x
            clusters:
            - name: default
              cluster:
                server: https://right:3
            """
        #expect(try KubeConfig.parse(yaml).server == "https://right:3")
    }

    @Test func handlesCRLF() throws {
        let yaml = Self.skiffKubeconfig().replacingOccurrences(of: "\n", with: "\r\n")
        let config = try KubeConfig.parse(yaml)
        #expect(config.server == "https://127.0.0.1:6443")
        #expect(config.clientKeyPEM == Self.keyPEM)
    }

    @Test func errors() {
        #expect(throws: KubeConfigError.missingField("server")) {
            try KubeConfig.parse("apiVersion: v1\nclusters: []\n")
        }
        #expect(throws: KubeConfigError.invalidBase64("certificate-authority-data")) {
            try KubeConfig.parse("clusters:\n- cluster:\n    server: https://a:1\n    certificate-authority-data: ***\n")
        }
        #expect(throws: KubeConfigError.incompleteClientCertificate) {
            try KubeConfig.parse("clusters:\n- cluster:\n    server: https://a:1\nusers:\n- user:\n    client-certificate-data: \(Self.b64("x"))\n")
        }
    }

    @Test func loadsFromFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("apiclient-kubeconfig-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(Self.skiffKubeconfig(server: "https://127.0.0.1:7443").utf8).write(to: url)
        #expect(try KubeConfig.load(contentsOf: url).server == "https://127.0.0.1:7443")
    }

    @Test func resourcePaths() {
        #expect(ResourcePath.pods.collection(namespace: "default") == "/api/v1/namespaces/default/pods")
        #expect(ResourcePath.pods.collection() == "/api/v1/pods")
        #expect(ResourcePath.namespaces.object("kube-system", namespace: "ignored") == "/api/v1/namespaces/kube-system")
        #expect(ResourcePath.deployments.object("web", namespace: "prod") == "/apis/apps/v1/namespaces/prod/deployments/web")
        #expect(ResourcePath.configmaps.object("a b", namespace: "n") == "/api/v1/namespaces/n/configmaps/a%20b")
        #expect(ListOptions(labelSelector: "app in (a,b)", limit: 5).query(watch: true)
                == "watch=true&labelSelector=app%20in%20%28a%2Cb%29&limit=5")
    }
}
