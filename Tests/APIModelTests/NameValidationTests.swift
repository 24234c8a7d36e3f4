import Testing
import APIModel

// Expected messages are Kubernetes' own (k8s.io/apimachinery 1.36), written out by hand.

private let subdomainPattern =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
private let labelPattern =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
private let dns1035Pattern =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
private let keyNamePattern =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
private let labelValuePattern =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"

/// A valid subdomain of exactly `length` bytes.
private func subdomain(length: Int) -> String {
    String(String(repeating: "abcdefgh.", count: length / 9 + 1).prefix(length - 1)) + "z"
}

@Suite struct DNSNameTests {
    @Test(arguments: ["a", "ab", "0", "a-b", "a--b", "1-2", "a.b", "example.com", "a.b-c.d", "123.456", subdomain(length: 253)])
    func validSubdomains(name: String) {
        #expect(NameValidation.isDNS1123Subdomain(name) == [])
    }

    @Test(arguments: ["", "A", "Example.com", "-a", "a-", "a..b", ".a", "a.", "a.-b", "a_b", "a b", "a\n", "é", "a/b"])
    func invalidSubdomains(name: String) {
        #expect(NameValidation.isDNS1123Subdomain(name) == [subdomainPattern])
    }

    @Test func subdomainLength() {
        #expect(NameValidation.isDNS1123Subdomain(subdomain(length: 254)) == ["must be no more than 253 characters"])
        #expect(NameValidation.isDNS1123Subdomain(String(repeating: "A", count: 254))
            == ["must be no more than 253 characters", subdomainPattern])
    }

    @Test(arguments: ["a", "my-name", "123-abc", "0", String(repeating: "a", count: 63)])
    func validLabels(name: String) {
        #expect(NameValidation.isDNS1123Label(name) == [])
    }

    @Test(arguments: [
        ("a.b", ["must not contain dots"]),
        ("example.com", ["must not contain dots"]),
        ("", [labelPattern]),
        ("A", [labelPattern]),
        ("-a", [labelPattern]),
        ("a-", [labelPattern]),
        ("a_b", [labelPattern]),
        ("a..b", [labelPattern]),
        (String(repeating: "a", count: 64), ["must be no more than 63 characters"]),
        (String(repeating: "a", count: 30) + "." + String(repeating: "a", count: 33), ["must be no more than 63 characters", "must not contain dots"]),
        (String(repeating: "_", count: 64), ["must be no more than 63 characters", labelPattern]),
    ])
    func invalidLabels(name: String, messages: [String]) {
        #expect(NameValidation.isDNS1123Label(name) == messages)
    }

    @Test(arguments: ["a", "my-name", "abc-123", "a1", String(repeating: "a", count: 63)])
    func validDNS1035Labels(name: String) {
        #expect(NameValidation.isDNS1035Label(name) == [])
    }

    @Test(arguments: [
        ("1abc", [dns1035Pattern]),
        ("", [dns1035Pattern]),
        ("-a", [dns1035Pattern]),
        ("a-", [dns1035Pattern]),
        ("a.b", [dns1035Pattern]),
        ("Abc", [dns1035Pattern]),
        (String(repeating: "a", count: 64), ["must be no more than 63 characters"]),
    ])
    func invalidDNS1035Labels(name: String, messages: [String]) {
        #expect(NameValidation.isDNS1035Label(name) == messages)
    }

    @Test func generateNamePrefixes() {
        #expect(NameValidation.nameIsDNSSubdomain("foo-", prefix: true) == [])
        #expect(NameValidation.nameIsDNSSubdomain("foo-", prefix: false) == [subdomainPattern])
        #expect(NameValidation.nameIsDNSSubdomain("a-", prefix: true) == [])
        #expect(NameValidation.nameIsDNSSubdomain("-", prefix: true) == [subdomainPattern])
        #expect(NameValidation.nameIsDNSLabel("ns-", prefix: true) == [])
        #expect(NameValidation.nameIsDNSLabel("ns-", prefix: false) == [labelPattern])
        #expect(NameValidation.nameIsDNS1035Label("svc-", prefix: true) == [])
        #expect(NameValidation.nameIsDNS1035Label("1svc-", prefix: true) == [dns1035Pattern])
    }
}

@Suite struct LabelNameTests {
    @Test(arguments: [
        "a", "A", "simple", "now-with-dashes", "1-starts-with-num", "1234", "simple/simple", "now-with-dashes/simple",
        "now-with-dashes/now-with-dashes", "now.with.dots/simple", "now-with.dashes-and.dots/simple",
        "1-num.2-num/3-num", "1234/5678", "1.2.3.4/5678", "Uppercase_Is_OK_123", "example.com/Uppercase_Is_OK_123",
        "requests.storage-foo", String(repeating: "a", count: 63), subdomain(length: 253) + "/" + String(repeating: "b", count: 63),
    ])
    func validQualifiedNames(name: String) {
        #expect(NameValidation.isQualifiedName(name) == [])
    }

    @Test(arguments: [
        ("", ["name part must be non-empty", "name part " + keyNamePattern]),
        ("/", ["prefix part must be non-empty", "name part must be non-empty", "name part " + keyNamePattern]),
        ("/a", ["prefix part must be non-empty"]),
        ("a/", ["name part must be non-empty", "name part " + keyNamePattern]),
        ("nospecialchars%^=@", ["name part " + keyNamePattern]),
        ("cantendwithadash-", ["name part " + keyNamePattern]),
        ("-cantstartwithadash-", ["name part " + keyNamePattern]),
        ("only/one/slash", ["a valid label key " + keyNamePattern + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]),
        ("Example.com/a", ["prefix part " + subdomainPattern]),
        ("example_com/a", ["prefix part " + subdomainPattern]),
        (String(repeating: "a", count: 64), ["name part must be no more than 63 characters"]),
        (subdomain(length: 254) + "/a", ["prefix part must be no more than 253 characters"]),
        ("é", ["name part " + keyNamePattern]),
    ])
    func invalidQualifiedNames(name: String, messages: [String]) {
        #expect(NameValidation.isQualifiedName(name) == messages)
    }

    @Test(arguments: ["", "a", "simple", "now-with-dashes", "1-starts-with-num", "end-with-num-1", "1234", "A_b.c-d", String(repeating: "a", count: 63)])
    func validLabelValues(value: String) {
        #expect(NameValidation.isValidLabelValue(value) == [])
    }

    @Test(arguments: [
        ("nospecialchars%^=@", [labelValuePattern]),
        ("Tama-nui-te-rā.is.Māori.sun", [labelValuePattern]),
        ("\\backslashes\\are\\bad", [labelValuePattern]),
        ("-starts-with-dash", [labelValuePattern]),
        ("ends-with-dash-", [labelValuePattern]),
        (".starts.with.dot", [labelValuePattern]),
        ("a b", [labelValuePattern]),
        (String(repeating: "a", count: 64), ["must be no more than 63 characters"]),
        (String(repeating: "-", count: 64), ["must be no more than 63 characters", labelValuePattern]),
    ])
    func invalidLabelValues(value: String, messages: [String]) {
        #expect(NameValidation.isValidLabelValue(value) == messages)
    }

    @Test func lengthsCountBytes() {
        // 32 two-byte characters: 64 bytes.
        #expect(NameValidation.isValidLabelValue(String(repeating: "é", count: 32)) == ["must be no more than 63 characters", labelValuePattern])
    }
}

@Suite struct AnnotationTests {
    @Test func annotationKeysMayHaveUppercasePrefixes() {
        #expect(NameValidation.isValidAnnotationKey("Example.COM/Foo") == [])
        #expect(NameValidation.isQualifiedName("Example.COM/Foo") == ["prefix part " + subdomainPattern])
        #expect(NameValidation.isValidAnnotationKey("a/b/c").count == 1)
    }

    @Test func totalSize() {
        let limit = 256 * 1024
        #expect(NameValidation.totalAnnotationSizeLimit == limit)
        let atLimit = ["k": String(repeating: "v", count: limit - 1)]
        #expect(NameValidation.annotationsSize(atLimit) == limit)
        #expect(NameValidation.validateAnnotationsSize(atLimit) == [])
        let over = ["k": String(repeating: "v", count: limit - 1), "x": ""]
        #expect(NameValidation.validateAnnotationsSize(over) == ["may not be more than 262144 bytes"])
        #expect(NameValidation.validateAnnotationsSize([:]) == [])
    }
}
