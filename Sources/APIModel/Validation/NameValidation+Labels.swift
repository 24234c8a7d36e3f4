extension NameValidation {
    /// The longest name part of a qualified name (label key): 63.
    public static let qualifiedNameMaxLength = 63
    /// The longest label value: 63.
    public static let labelValueMaxLength = 63

    static let labelKeyRegex = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
    static let labelKeyDescription =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"

    /// Checks a qualified name, the format of label keys, annotation keys (after
    /// lowercasing) and finalizers: an optional lowercase DNS subdomain prefix and
    /// `/`, then a name of at most 63 bytes of `[-A-Za-z0-9_.]` starting and ending
    /// with an alphanumeric character.
    public static func isQualifiedName(_ value: String) -> [String] {
        let parts = value.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        var errors: [String] = []
        let name: Substring.UTF8View
        switch parts.count {
        case 1:
            name = parts[0]
        case 2:
            let prefix = parts[0]
            name = parts[1]
            if prefix.isEmpty {
                errors.append("prefix part " + ValidationMessages.empty)
            } else {
                errors.append(contentsOf: prefixSubdomainErrors(prefix).map { "prefix part " + $0 })
            }
        default:
            return ["a valid label key "
                + ValidationMessages.pattern(labelKeyDescription, regex: labelKeyRegex,
                                             examples: ["MyName", "my.name", "123-abc"])
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
        }
        if name.isEmpty {
            errors.append("name part " + ValidationMessages.empty)
        } else if name.count > qualifiedNameMaxLength {
            errors.append("name part " + ValidationMessages.maxLengthInBytes(qualifiedNameMaxLength))
        }
        if !CharacterClasses.isLabelName(name) {
            errors.append("name part " + ValidationMessages.pattern(
                labelKeyDescription, regex: labelKeyRegex, examples: ["MyName", "my.name", "123-abc"]))
        }
        return errors
    }

    /// Checks a label value: empty, or at most 63 bytes of `[-A-Za-z0-9_.]` starting
    /// and ending with an alphanumeric character.
    public static func isValidLabelValue(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > labelValueMaxLength {
            errors.append(ValidationMessages.maxLengthInBytes(labelValueMaxLength))
        }
        if !value.isEmpty && !CharacterClasses.isLabelName(value.utf8) {
            errors.append(ValidationMessages.pattern(
                "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                regex: "(" + labelKeyRegex + ")?", examples: ["MyValue", "my_value", "12345"]))
        }
        return errors
    }

    /// The subdomain check of a label key's prefix. It is the one of
    /// `api/validate/content`, whose length message counts bytes.
    private static func prefixSubdomainErrors(_ prefix: Substring.UTF8View) -> [String] {
        var errors: [String] = []
        if prefix.count > dns1123SubdomainMaxLength {
            errors.append(ValidationMessages.maxLengthInBytes(dns1123SubdomainMaxLength))
        }
        if !CharacterClasses.isDNS1123Subdomain(prefix) {
            errors.append(subdomainPatternMessage)
        }
        return errors
    }
}
