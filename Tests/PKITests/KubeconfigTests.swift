import Foundation
import Testing

@testable import PKI

@Suite struct KubeconfigTests {
    @Test func rendersKubectlLayoutWithBase64PEMs() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let pki = try ClusterPKI.loadOrCreate(directory: temp.tls, hostname: "node-1")
        let yaml = pki.adminKubeconfig().render()

        let expectedSkeleton = """
            apiVersion: v1
            clusters:
            - cluster:
                certificate-authority-data: *
                server: https://127.0.0.1:6443
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
                client-certificate-data: *
                client-key-data: *

            """
        let skeleton = yaml.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.contains("-data: ") ? String(line.prefix { $0 != ":" }) + ": *" : String(line)
        }.joined(separator: "\n")
        #expect(skeleton == expectedSkeleton)

        #expect(try decoded(yaml, "certificate-authority-data") == pki.caCertificatePEM)
        #expect(try decoded(yaml, "client-certificate-data") == pki.adminCertificatePEM)
        #expect(try decoded(yaml, "client-key-data") == pki.adminKeyPEM)
    }

    @Test func serverIsQuotedOnlyWhenNeeded() {
        #expect(Kubeconfig.yamlScalar("https://[::1]:6443") == "https://[::1]:6443")
        #expect(Kubeconfig.yamlScalar("https://10.0.0.1:6443/path") == "https://10.0.0.1:6443/path")
        #expect(Kubeconfig.yamlScalar("https://host:6443/a b") == "\"https://host:6443/a b\"")
        #expect(Kubeconfig.yamlScalar("\"x\"") == "\"\\\"x\\\"\"")
    }

    @Test func writeCreatesParentsAndUsesMode0600() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let pki = try ClusterPKI.loadOrCreate(directory: temp.tls, hostname: "node-1")
        let path = temp.url.appendingPathComponent("a/b/kubeconfig.yaml")
        let config = pki.adminKubeconfig(server: "https://10.1.2.3:7443")
        try config.write(to: path)
        #expect(try contents(of: path) == config.render())
        #expect(try permissions(of: path) == 0o600)
        #expect(config.render().contains("    server: https://10.1.2.3:7443\n"))

        // Overwriting keeps the mode and replaces the content.
        try pki.adminKubeconfig().write(to: path)
        #expect(try contents(of: path) == pki.adminKubeconfig().render())
        #expect(try permissions(of: path) == 0o600)
        let siblings = try FileManager.default.contentsOfDirectory(atPath: path.deletingLastPathComponent().path)
        #expect(siblings == ["kubeconfig.yaml"])
    }

    private func decoded(_ yaml: String, _ key: String) throws -> String {
        let prefix = "\(key): "
        let lines = yaml.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let line = try #require(lines.first { $0.hasPrefix(prefix) })
        let value = line.dropFirst(prefix.count)
        let data = try #require(Data(base64Encoded: String(value)))
        return String(decoding: data, as: UTF8.self)
    }
}
