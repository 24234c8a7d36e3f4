import Foundation
import PKI
import Testing

@Suite("ClusterSecrets")
struct ClusterSecretsTests {
    @Test("Sealed with a token, opened only with that token; the sealed form holds no key in the clear")
    func sealAndOpen() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let layout = PKIFileLayout(directory: directory.tls)
        _ = try ClusterPKI.loadOrCreate(directory: directory.tls, hostname: "first")
        let secrets = try ClusterSecrets.read(from: layout)
        #expect(secrets.files.keys.sorted() == ["ca.crt", "ca.key", "client-admin.crt", "client-admin.key"])

        let sealed = try secrets.sealed(token: "t0ken")
        #expect(!String(decoding: sealed, as: UTF8.self).contains("PRIVATE KEY"))
        #expect(try ClusterSecrets.open(sealed, token: "t0ken") == secrets)
        #expect(throws: ClusterSecretsError.wrongToken) { try ClusterSecrets.open(sealed, token: "other") }
        #expect(throws: ClusterSecretsError.damaged) { try ClusterSecrets.open(Data("{}".utf8), token: "t0ken") }
        #expect(throws: ClusterSecretsError.damaged) { try ClusterSecrets.open(Data([0xff, 0x00]), token: "t0ken") }
    }

    @Test("Written into a second server's directory, its PKI has the first one's CA and admin credentials and a serving certificate of its own")
    func secondServerSharesCA() throws {
        let first = try TemporaryDirectory(), second = try TemporaryDirectory()
        defer { first.remove(); second.remove() }
        let pki1 = try ClusterPKI.loadOrCreate(directory: first.tls, extraSANs: ["10.0.0.1"], hostname: "one")
        _ = try ClusterPKI.loadOrCreate(directory: second.tls, hostname: "two")  // a CA of its own, replaced below
        let secrets = try ClusterSecrets.read(from: PKIFileLayout(directory: first.tls))
        #expect(try secrets.write(to: PKIFileLayout(directory: second.tls)))
        #expect(try !secrets.write(to: PKIFileLayout(directory: second.tls)), "unchanged files are left alone")

        let pki2 = try ClusterPKI.loadOrCreate(directory: second.tls, extraSANs: ["10.0.0.2"], hostname: "two")
        #expect(pki2.caCertificatePEM == pki1.caCertificatePEM)
        #expect(pki2.adminCertificatePEM == pki1.adminCertificatePEM)
        #expect(pki2.servingSubjectAlternativeNames.contains("10.0.0.2"))
        #expect(pki1.verifyClientCertificate(pem: pki2.adminCertificatePEM) != nil)
        #expect(try permissions(of: second.tls.appendingPathComponent("ca.key")) == 0o600)
    }
}
