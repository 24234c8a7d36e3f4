import Testing
import APIModel

// Expected messages are Kubernetes' own (k8s.io/apimachinery 1.32), written out by hand.

private let configKeyPattern =
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
private let percentPattern =
    "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"

@Suite struct PortValidationTests {
    @Test(arguments: [1, 80, 65535])
    func validNumbers(port: Int) {
        #expect(ValueValidation.isValidPortNumber(port) == [])
    }

    @Test(arguments: [0, -1, 65536])
    func invalidNumbers(port: Int) {
        #expect(ValueValidation.isValidPortNumber(port) == ["must be between 1 and 65535, inclusive"])
    }

    @Test(arguments: ["http", "h2c", "metrics-1", "a", "abcdefghijklmno"])
    func validNames(name: String) {
        #expect(ValueValidation.isValidPortName(name) == [])
    }

    @Test(arguments: [
        ("abcdefghijklmnop", ["must be no more than 15 characters"]),
        ("HTTP", ["must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)", "must contain at least one letter (a-z)"]),
        ("8080", ["must contain at least one letter (a-z)"]),
        ("a--b", ["must not contain consecutive hyphens"]),
        ("-web", ["must not begin or end with a hyphen"]),
        ("web_1", ["must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"]),
    ])
    func invalidNames(name: String, messages: [String]) {
        #expect(ValueValidation.isValidPortName(name) == messages)
    }
}

@Suite struct ConfigKeyAndEnvValidationTests {
    @Test(arguments: ["k", "KEY_NAME", "key.name", "key-name", ".hidden", "a..b"])
    func validKeys(key: String) {
        #expect(ValueValidation.isConfigMapKey(key) == [])
    }

    @Test(arguments: [
        ("a b", [configKeyPattern]),
        ("a/b", [configKeyPattern]),
        ("", [configKeyPattern]),
        (".", ["must not be '.'"]),
        ("..", ["must not be '..'"]),
        ("..a", ["must not start with '..'"]),
        (String(repeating: "k", count: 254), ["must be no more than 253 characters"]),
    ])
    func invalidKeys(key: String, messages: [String]) {
        #expect(ValueValidation.isConfigMapKey(key) == messages)
    }

    @Test(arguments: ["PATH", "my.env-name", "1ST", "with space", "a:b", "~"])
    func validEnvNames(name: String) {
        #expect(ValueValidation.isEnvVarName(name) == [])
    }

    @Test(arguments: ["A=B", "tab\there", "é"])
    func invalidEnvNames(name: String) {
        #expect(ValueValidation.isEnvVarName(name) == [
            "a valid environment variable name must consist only of printable ASCII characters other than '='",
        ])
    }
}

@Suite struct PercentAndAddressValidationTests {
    @Test(arguments: [("25%", 25), ("0%", 0), ("100%", 100), ("120%", 120)])
    func validPercents(text: String, value: Int) {
        #expect(ValueValidation.isValidPercent(text) == [])
        #expect(ValueValidation.percentValue(text) == value)
    }

    @Test(arguments: ["%", "25", "a%", "-5%", "2.5%"])
    func invalidPercents(text: String) {
        #expect(ValueValidation.isValidPercent(text) == [percentPattern])
        #expect(ValueValidation.percentValue(text) == nil)
    }

    @Test(arguments: [("10.96.0.1", 4), ("::1", 6), ("2001:db8::ffff", 6)])
    func ips(text: String, family: Int) {
        #expect(ValueValidation.ipFamily(of: text) == family)
        #expect(ValueValidation.isValidIP(text) == [])
    }

    @Test(arguments: ["10.0.0.300", "", "None", "10.0.0"])
    func notIPs(text: String) {
        #expect(ValueValidation.isValidIP(text) == ["must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"])
    }

    @Test(arguments: [("10.244.0.0/24", 4 as Int?), ("fd00::/64", 6), ("10.244.0.0/33", nil), ("10.244.0.0", nil),
                      ("10.244.0.0/x", nil), ("fd00::/129", nil)])
    func cidrs(text: String, family: Int?) {
        #expect(ValueValidation.cidrFamily(of: text) == family)
    }
}
