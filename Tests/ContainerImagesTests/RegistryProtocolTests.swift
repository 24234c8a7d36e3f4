import Foundation
import Testing

@testable import ContainerImages

@Suite struct RegistryProtocolTests {
    @Test func dockerConfigCredentials() throws {
        let json = #"""
        {"auths":{
          "https://index.docker.io/v1/":{"auth":"\#(Data("hub:pw:with:colons".utf8).base64EncodedString())"},
          "127.0.0.1:5000":{"username":"u","password":"p","auth":"ignored"},
          "registry.example.com/some/path":{"username":"e","password":"q"},
          "empty.example.com":{}
        }}
        """#
        let credentials = try DockerConfigCredentials(json: Data(json.utf8))
        #expect(credentials.credentials(forRegistry: "docker.io") == RegistryCredentials(username: "hub", password: "pw:with:colons"))
        #expect(credentials.credentials(forRegistry: "127.0.0.1:5000") == RegistryCredentials(username: "u", password: "p"))
        #expect(credentials.credentials(forRegistry: "Registry.Example.com") == RegistryCredentials(username: "e", password: "q"))
        #expect(credentials.credentials(forRegistry: "empty.example.com") == nil)
        #expect(credentials.credentials(forRegistry: "127.0.0.1:5001") == nil)
        #expect(DockerConfigCredentials.none.credentials(forRegistry: "docker.io") == nil)

        // The legacy .dockercfg shape (no "auths" wrapper) too; garbage is an error.
        let legacy = try DockerConfigCredentials(json: Data(#"{"localhost:5000":{"username":"a","password":"b"}}"#.utf8))
        #expect(legacy.credentials(forRegistry: "localhost:5000")?.username == "a")
        #expect(throws: ImageStoreError.self) { try DockerConfigCredentials(json: Data("[1]".utf8)) }

        let merged = legacy.merging(DockerConfigCredentials(registries: ["localhost:5000": .init(username: "c", password: "d")]))
        #expect(merged.credentials(forRegistry: "localhost:5000")?.username == "c")
        #expect(RegistryCredentials(username: "a", password: "b").basicAuthorization == "Basic YTpi")
    }

    @Test func authenticationChallenges() throws {
        let bearer = try #require(AuthenticationChallenge(header:
            #"Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:library/busybox:pull,push""#))
        #expect(bearer.scheme == "bearer")
        #expect(bearer.parameters == ["realm": "https://auth.example.com/token", "service": "registry.example.com",
                                      "scope": "repository:library/busybox:pull,push"])
        let basic = try #require(AuthenticationChallenge(header: #"Basic realm="Registry \"Realm\"", charset=UTF-8"#))
        #expect(basic.scheme == "basic")
        #expect(basic.parameters == ["realm": #"Registry "Realm""#, "charset": "UTF-8"])
        #expect(AuthenticationChallenge(header: "")  == nil)
    }

    @Test func plainHTTPOnlyOnLoopback() {
        #expect(RegistryEndpoint(domain: "127.0.0.1:5000").baseURL == "http://127.0.0.1:5000")
        #expect(RegistryEndpoint(domain: "127.3.2.1").baseURL == "http://127.3.2.1")
        #expect(RegistryEndpoint(domain: "localhost:5000").baseURL == "http://localhost:5000")
        #expect(RegistryEndpoint(domain: "[::1]:5000").baseURL == "http://[::1]:5000")
        #expect(RegistryEndpoint(domain: "docker.io").baseURL == "https://registry-1.docker.io")
        #expect(RegistryEndpoint(domain: "127.0.0.1.example.com").baseURL == "https://127.0.0.1.example.com")
        #expect(RegistryEndpoint(domain: "10.0.0.1:5000").baseURL == "https://10.0.0.1:5000")
        #expect(RegistryEndpoint(domain: "localhost.example.com").baseURL == "https://localhost.example.com")

        #expect(RegistryEndpoint.isAllowed("https://auth.example.com/token"))
        #expect(RegistryEndpoint.isAllowed("http://127.0.0.1:4000/token?x=1"))
        #expect(!RegistryEndpoint.isAllowed("http://auth.example.com/token"))
        #expect(!RegistryEndpoint.isAllowed("http://127.0.0.1@evil.example.com/"))
        #expect(!RegistryEndpoint.isAllowed("ftp://127.0.0.1/"))
    }
}
