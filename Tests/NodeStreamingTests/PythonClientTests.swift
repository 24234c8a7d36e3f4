import Foundation
import Testing

extension StreamingEndToEnd {
    /// The Python client's `read_namespaced_pod_log` and `stream(connect_get_namespaced_pod_exec, …)`
    /// (it offers `v5.channel.k8s.io,v4.channel.k8s.io`).
    @Suite("Python client logs and exec", .serialized)
    struct PythonClientTests {
        /// A client for the harness as `api` (arguments: API URL, token, CA certificate).
        static let preamble = """
        import sys, tempfile
        from kubernetes import client
        url, token, ca = sys.argv[1], sys.argv[2], sys.argv[3]
        configuration = client.Configuration()
        configuration.host = url
        configuration.api_key = {"authorization": "Bearer " + token}
        with tempfile.NamedTemporaryFile("w", suffix=".crt", delete=False) as f:
            f.write(ca)
        configuration.ssl_ca_cert = f.name
        api = client.CoreV1Api(client.ApiClient(configuration))

        """

        static let script = preamble + """
        from kubernetes.stream import stream
        print("log:" + api.read_namespaced_pod_log("web", "default"), end="")
        sys.stdout.flush()
        out = stream(api.connect_get_namespaced_pod_exec, "web", "default", command=["/bin/sh", "-c", "echo hi; echo oops >&2"],
                     stderr=True, stdin=False, stdout=True, tty=False)
        print("exec:" + out, end="")
        """

        /// Passes without checking anything where python3 has no `kubernetes` package.
        @Test func logsAndExec() async throws {
            guard try await ExternalCommand.run("/usr/bin/env", ["python3", "-c", "import kubernetes"]).code == 0 else { return }
            try await StreamingHarness.with { harness in
                try harness.backend.append("main", [("line", 1_700_000_001, .stdout)])
                let run = try await ExternalCommand.run("/usr/bin/timeout", ["30", "python3", "-c", Self.script, harness.apiURL,
                                                                         StreamingHarness.token, harness.caCertificatePEM])
                #expect(run.code == 0, "\(run.stderr)")
                #expect(run.stdout == "log:line\nexec:hi\noops\n")
            }
        }
    }
}
