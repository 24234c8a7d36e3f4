/// Kubernetes' checks of names, label keys, label values and annotations.
///
/// Every check returns the list of problems found, worded exactly as
/// `k8s.io/apimachinery` words them (release 1.36); an empty list means the value is
/// valid. Lengths are measured in UTF-8 bytes, as Go's `len` does.
public enum NameValidation {
    /// The longest DNS (RFC 1123) label: 63.
    public static let dns1123LabelMaxLength = 63
    /// The longest DNS (RFC 1123) subdomain: 253.
    public static let dns1123SubdomainMaxLength = 253
    /// The longest DNS (RFC 1035) label: 63.
    public static let dns1035LabelMaxLength = 63

    static let dns1123LabelRegex = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    static let dns1123SubdomainRegex = dns1123LabelRegex + "(\\." + dns1123LabelRegex + ")*"
    static let dns1035LabelRegex = "[a-z]([-a-z0-9]*[a-z0-9])?"

    /// Checks a lowercase RFC 1123 subdomain, the format of most object names
    /// (`example.com`): at most 253 characters of `[a-z0-9.-]`, dot-separated labels
    /// that start and end with an alphanumeric character.
    public static func isDNS1123Subdomain(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > dns1123SubdomainMaxLength {
            errors.append(ValidationMessages.maxLengthInCharacters(dns1123SubdomainMaxLength))
        }
        if !CharacterClasses.isDNS1123Subdomain(value.utf8) {
            errors.append(subdomainPatternMessage)
        }
        return errors
    }

    /// Checks a lowercase RFC 1123 label (namespace names, among others): at most 63
    /// characters of `[a-z0-9-]`, starting and ending with an alphanumeric character.
    /// A value that would be a valid subdomain is told it `must not contain dots`.
    public static func isDNS1123Label(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > dns1123LabelMaxLength {
            errors.append(ValidationMessages.maxLengthInCharacters(dns1123LabelMaxLength))
        }
        if !CharacterClasses.isDNS1123Label(value.utf8) {
            if CharacterClasses.isDNS1123Subdomain(value.utf8) {
                errors.append("must not contain dots")
            } else {
                errors.append(ValidationMessages.pattern(
                    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
                    regex: dns1123LabelRegex, examples: ["my-name", "123-abc"]))
            }
        }
        return errors
    }

    /// Checks an RFC 1035 label (service names): like an RFC 1123 label, but it must
    /// start with a letter.
    public static func isDNS1035Label(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > dns1035LabelMaxLength {
            errors.append(ValidationMessages.maxLengthInCharacters(dns1035LabelMaxLength))
        }
        if !CharacterClasses.isDNS1035Label(value.utf8) {
            errors.append(ValidationMessages.pattern(
                "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
                regex: dns1035LabelRegex, examples: ["my-name", "abc-123"]))
        }
        return errors
    }

    static let subdomainPatternMessage = ValidationMessages.pattern(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        regex: dns1123SubdomainRegex, examples: ["example.com"])
}
