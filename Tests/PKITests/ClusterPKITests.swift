import Foundation
import Testing

@testable import PKI

@Suite struct ClusterPKITests {
    @Test func firstStartWritesAllFilesWithKeyPermissions() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let pki = try ClusterPKI.loadOrCreate(directory: temp.tls, hostname: "node-1")
        let files = pki.files

        #expect(try contents(of: files.caCertificate) == pki.caCertificatePEM)
        #expect(try contents(of: files.servingCertificate) == pki.servingCertificatePEM)
        #expect(try contents(of: files.servingKey) == pki.servingKeyPEM)
        #expect(try contents(of: files.adminCertificate) == pki.adminCertificatePEM)
        #expect(try contents(of: files.adminKey) == pki.adminKeyPEM)
        for key in [files.caKey, files.servingKey, files.adminKey] {
            #expect(try permissions(of: key) == 0o600)
        }
        for certificate in [files.caCertificate, files.servingCertificate, files.adminCertificate] {
            #expect(try permissions(of: certificate) == 0o644)
        }
        #expect(pki.caCertificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        #expect(pki.servingKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        // No temporary files are left behind.
        let names = try FileManager.default.contentsOfDirectory(atPath: temp.tls.path).sorted()
        #expect(names == ["ca.crt", "ca.key", "client-admin.crt", "client-admin.key", "serving.crt", "serving.key"])
    }

    @Test func laterStartsReuseEverything() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let first = try ClusterPKI.loadOrCreate(directory: temp.tls, extraSANs: ["192.168.1.10"], hostname: "node-1")
        let again = try ClusterPKI.loadOrCreate(directory: temp.tls, extraSANs: ["192.168.1.10"], hostname: "node-1")
        let later = try ClusterPKI.loadOrCreate(
            directory: temp.tls, hostname: "NODE-1", now: Date() + 200 * day)

        for pki in [again, later] {
            #expect(pki.caCertificatePEM == first.caCertificatePEM)
            #expect(pki.servingCertificatePEM == first.servingCertificatePEM)
            #expect(pki.servingKeyPEM == first.servingKeyPEM)
            #expect(pki.adminCertificatePEM == first.adminCertificatePEM)
            #expect(pki.adminKeyPEM == first.adminKeyPEM)
        }
        #expect(try contents(of: first.files.caKey) == contents(of: again.files.caKey))
    }

    @Test func servingCertificateCarriesDefaultAndExtraNames() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let pki = try ClusterPKI.loadOrCreate(
            directory: temp.tls,
            extraSANs: ["192.168.1.10", "0.0.0.0", "", "API.Example.com", "[fd00::1]"],
            hostname: "Node-1"
        )
        let expected = [
            "localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
            "kubernetes.default.svc.cluster.local", "node-1", "api.example.com",
            "127.0.0.1", "::1", "10.43.0.1", "192.168.1.10", "fd00::1",
        ]
        #expect(Set(pki.servingSubjectAlternativeNames) == Set(expected))
        #expect(pki.servingSubjectAlternativeNames.count == expected.count)
    }

    @Test func newNameReplacesServingCertificateButNotCA() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let first = try ClusterPKI.loadOrCreate(directory: temp.tls, hostname: "node-1")
        let widened = try ClusterPKI.loadOrCreate(directory: temp.tls, extraSANs: ["10.0.0.5"], hostname: "node-1")

        #expect(widened.caCertificatePEM == first.caCertificatePEM)
        #expect(widened.adminCertificatePEM == first.adminCertificatePEM)
        #expect(widened.servingCertificatePEM != first.servingCertificatePEM)
        #expect(widened.servingKeyPEM != first.servingKeyPEM)
        #expect(widened.servingSubjectAlternativeNames.contains("10.0.0.5"))
        #expect(try contents(of: widened.files.servingCertificate) == widened.servingCertificatePEM)
        #expect(try contents(of: widened.files.servingKey) == widened.servingKeyPEM)

        let changedHost = try ClusterPKI.loadOrCreate(directory: temp.tls, hostname: "node-2")
        #expect(changedHost.servingSubjectAlternativeNames.contains("node-2"))
        #expect(!changedHost.servingSubjectAlternativeNames.contains("node-1"))
    }

    @Test func certificatesNearExpiryAreRenewed() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let first = try ClusterPKI.loadOrCreate(directory: temp.tls, hostname: "node-1")
        let renewalTime = Date() + 340 * day
        let renewed = try ClusterPKI.loadOrCreate(directory: temp.tls, hostname: "node-1", now: renewalTime)

        #expect(renewed.caCertificatePEM == first.caCertificatePEM)
        #expect(renewed.servingCertificatePEM != first.servingCertificatePEM)
        #expect(renewed.adminCertificatePEM != first.adminCertificatePEM)
        #expect(renewed.verifyClientCertificate(pem: renewed.adminCertificatePEM, at: renewalTime + 300 * day) != nil)
    }

    @Test func damagedLeafFilesAreReplaced() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let first = try ClusterPKI.loadOrCreate(directory: temp.tls, hostname: "node-1")
        try Data("garbage".utf8).write(to: first.files.servingCertificate)
        try FileManager.default.removeItem(at: first.files.adminKey)
        // A key that does not belong to the certificate (as after a crash between the two writes).
        let other = try TemporaryDirectory()
        defer { other.remove() }
        let stranger = try ClusterPKI.loadOrCreate(directory: other.tls, hostname: "node-1")

        let repaired = try ClusterPKI.loadOrCreate(directory: temp.tls, hostname: "node-1")
        #expect(repaired.caCertificatePEM == first.caCertificatePEM)
        #expect(repaired.servingCertificatePEM != first.servingCertificatePEM)
        #expect(repaired.adminCertificatePEM != first.adminCertificatePEM)
        #expect(try contents(of: repaired.files.adminKey) == repaired.adminKeyPEM)

        try Data(stranger.servingKeyPEM.utf8).write(to: repaired.files.servingKey)
        let rekeyed = try ClusterPKI.loadOrCreate(directory: temp.tls, hostname: "node-1")
        #expect(rekeyed.servingCertificatePEM != repaired.servingCertificatePEM)
        #expect(rekeyed.servingKeyPEM != stranger.servingKeyPEM)
    }

    @Test func servingCertificateFromAnotherCAIsReplaced() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let other = try TemporaryDirectory()
        defer { other.remove() }
        let pki = try ClusterPKI.loadOrCreate(directory: temp.tls, hostname: "node-1")
        let foreign = try ClusterPKI.loadOrCreate(directory: other.tls, hostname: "node-1")
        try Data(foreign.servingCertificatePEM.utf8).write(to: pki.files.servingCertificate)
        try Data(foreign.servingKeyPEM.utf8).write(to: pki.files.servingKey)

        let reloaded = try ClusterPKI.loadOrCreate(directory: temp.tls, hostname: "node-1")
        #expect(reloaded.servingCertificatePEM != foreign.servingCertificatePEM)
        #expect(reloaded.caCertificatePEM == pki.caCertificatePEM)
    }

    @Test func missingCAKeyIsAnErrorNotANewCA() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let pki = try ClusterPKI.loadOrCreate(directory: temp.tls, hostname: "node-1")
        try FileManager.default.removeItem(at: pki.files.caKey)
        #expect(throws: PKIError.missingCAKey(path: pki.files.caKey.path)) {
            try ClusterPKI.loadOrCreate(directory: temp.tls, hostname: "node-1")
        }
        #expect(try contents(of: pki.files.caCertificate) == pki.caCertificatePEM)
    }

    @Test func missingCACertificateStartsANewCluster() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let pki = try ClusterPKI.loadOrCreate(directory: temp.tls, hostname: "node-1")
        try FileManager.default.removeItem(at: pki.files.caCertificate)
        let fresh = try ClusterPKI.loadOrCreate(directory: temp.tls, hostname: "node-1")
        #expect(fresh.caCertificatePEM != pki.caCertificatePEM)
        #expect(fresh.servingCertificatePEM != pki.servingCertificatePEM)
        #expect(fresh.adminCertificatePEM != pki.adminCertificatePEM)
        #expect(fresh.verifyClientCertificate(pem: pki.adminCertificatePEM) == nil)
    }

    @Test func invalidNamesAreRejected() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        for bad in ["has space", "under/slash", "a..b", "*", "fe80::1%eth0"] {
            #expect(throws: PKIError.invalidSubjectAlternativeName(bad)) {
                try ClusterPKI.loadOrCreate(directory: temp.tls, extraSANs: [bad], hostname: "node-1")
            }
        }
    }
}
