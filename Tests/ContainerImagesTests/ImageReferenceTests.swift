import Testing

@testable import ContainerImages

@Suite struct ImageReferenceTests {
    @Test(arguments: [
        ("busybox", "docker.io/library/busybox:latest"),
        ("busybox:1.36", "docker.io/library/busybox:1.36"),
        ("library/busybox:1.36", "docker.io/library/busybox:1.36"),
        ("docker.io/library/busybox:1.36", "docker.io/library/busybox:1.36"),
        ("index.docker.io/library/busybox:1.36", "docker.io/library/busybox:1.36"),
        ("user/app:v2", "docker.io/user/app:v2"),
        ("localhost/app:1", "localhost/app:1"),
        ("localhost:5000/team/app:1", "localhost:5000/team/app:1"),
        ("skiff.test/busybox:1.0", "skiff.test/busybox:1.0"),
        ("registry.k8s.io/pause:3.10", "registry.k8s.io/pause:3.10"),
    ])
    func normalisesLikeContainerd(input: String, expected: String) throws {
        #expect(try ImageReference(parsing: input).description == expected)
    }

    @Test func keepsDigests() throws {
        let hex = String(repeating: "ab", count: 32)
        let byDigest = try ImageReference(parsing: "busybox@sha256:\(hex)")
        #expect(byDigest.description == "docker.io/library/busybox@sha256:\(hex)")
        #expect(byDigest.tag == nil)
        #expect(byDigest.taggedName == nil)
        let both = try ImageReference(parsing: "busybox:1.36@sha256:\(hex)")
        #expect(both.description == "docker.io/library/busybox:1.36@sha256:\(hex)")
    }

    @Test(arguments: ["", "Busybox:1", "busybox:", "busybox@sha256:abc", "a//b:1", "busybox:-x", "bad name:1", "a/-b:1"])
    func rejectsMalformed(input: String) {
        #expect(throws: ImageStoreError.invalidReference(input)) { try ImageReference(parsing: input) }
    }
}
