import Foundation
import Testing

@testable import PKI

@Suite struct ClientIdentityTests {
    @Test func adminCertificateAuthenticatesAsSystemAdmin() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let pki = try ClusterPKI.loadOrCreate(directory: temp.tls, hostname: "node-1")
        let identity = pki.verifyClientCertificate(pem: pki.adminCertificatePEM)
        #expect(identity == ClientIdentity(userName: "system:admin", groups: ["system:masters"]))
        #expect(pki.verifyClientCertificate(derBytes: try derBytes(ofPEM: pki.adminCertificatePEM)) == identity)
    }

    @Test func issuedCertificateYieldsItsCommonNameAndOrganizations() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let pki = try ClusterPKI.loadOrCreate(directory: temp.tls, hostname: "node-1")
        let issued = try pki.issueClientCertificate(
            commonName: "system:node:worker-1",
            organizations: ["system:nodes", "team-a"]
        )
        #expect(issued.keyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let identity = pki.verifyClientCertificate(derBytes: try derBytes(ofPEM: issued.certificatePEM))
        #expect(identity?.userName == "system:node:worker-1")
        #expect(identity?.groups == ["system:nodes", "team-a"])

        // Issuing writes nothing.
        let reloaded = try ClusterPKI.loadOrCreate(directory: temp.tls, hostname: "node-1")
        #expect(reloaded.adminCertificatePEM == pki.adminCertificatePEM)
    }

    @Test func certificateFromAnotherCAIsRejected() throws {
        let ours = try TemporaryDirectory()
        defer { ours.remove() }
        let theirs = try TemporaryDirectory()
        defer { theirs.remove() }
        let pki = try ClusterPKI.loadOrCreate(directory: ours.tls, hostname: "node-1")
        let other = try ClusterPKI.loadOrCreate(directory: theirs.tls, hostname: "node-1")

        #expect(pki.verifyClientCertificate(pem: other.adminCertificatePEM) == nil)
        let issued = try other.issueClientCertificate(commonName: "mallory", organizations: ["system:masters"])
        #expect(pki.verifyClientCertificate(pem: issued.certificatePEM) == nil)
        #expect(other.verifyClientCertificate(pem: issued.certificatePEM)?.userName == "mallory")
    }

    @Test func expiredAndNotYetValidCertificatesAreRejected() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let pki = try ClusterPKI.loadOrCreate(directory: temp.tls, hostname: "node-1")
        let now = Date()
        let expired = try pki.issueClientCertificate(
            commonName: "old", validity: day, issuedAt: now - 3 * day)
        #expect(pki.verifyClientCertificate(pem: expired.certificatePEM, at: now) == nil)
        #expect(pki.verifyClientCertificate(pem: expired.certificatePEM, at: now - 2.5 * day)?.userName == "old")

        let future = try pki.issueClientCertificate(commonName: "future", validity: day, issuedAt: now + 3 * day)
        #expect(pki.verifyClientCertificate(pem: future.certificatePEM, at: now) == nil)
    }

    @Test func nonClientCertificatesAreRejected() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let pki = try ClusterPKI.loadOrCreate(directory: temp.tls, hostname: "node-1")
        // The serving certificate is signed by the CA but only allows serverAuth.
        #expect(pki.verifyClientCertificate(pem: pki.servingCertificatePEM) == nil)
        // The CA certificate signs itself but is a CA.
        #expect(pki.verifyClientCertificate(pem: pki.caCertificatePEM) == nil)
        #expect(pki.verifyClientCertificate(derBytes: [0x30, 0x03, 0x02, 0x01, 0x01]) == nil)
        #expect(pki.verifyClientCertificate(derBytes: []) == nil)
        #expect(pki.verifyClientCertificate(pem: "not a pem") == nil)
    }

    @Test func tamperedCertificateIsRejected() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let pki = try ClusterPKI.loadOrCreate(directory: temp.tls, hostname: "node-1")
        var der = try derBytes(ofPEM: pki.adminCertificatePEM)
        // Change one letter of "system:admin" inside the signed part.
        let needle = Array("system:admin".utf8)
        let index = try #require(der.indices.first { der[$0...].starts(with: needle) })
        der[index] = UInt8(ascii: "S")
        #expect(pki.verifyClientCertificate(derBytes: der) == nil)
    }

    @Test func invalidRequestsAreRejected() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let pki = try ClusterPKI.loadOrCreate(directory: temp.tls, hostname: "node-1")
        #expect(throws: PKIError.self) { try pki.issueClientCertificate(commonName: "") }
        #expect(throws: PKIError.self) { try pki.issueClientCertificate(commonName: "x", validity: 0) }
    }

    private func derBytes(ofPEM pem: String) throws -> [UInt8] {
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        return Array(try #require(Data(base64Encoded: body)))
    }
}
