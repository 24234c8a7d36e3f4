extension LabelMatcher {
    /// Parses Kubernetes' label selector syntax (the `labelSelector` query
    /// parameter):
    ///
    ///     selector    ::= requirement | requirement "," selector
    ///     requirement ::= ["!"] KEY [ ("in" | "notin") "(" VALUES ")" | ("=" | "==" | "!=" | ">" | "<") VALUE ]
    ///
    /// Whitespace separates tokens; `in` and `notin` are also allowed as keys and
    /// values; an empty value is allowed (`a=`, `a in (,b)`); the empty string (or
    /// only whitespace) is ``everything``. Keys and values are validated like
    /// ``LabelRequirement/init(key:operator:values:)``.
    ///
    /// - Throws: ``SelectorParseError`` worded as Kubernetes' parser words it, e.g.
    ///   `unable to parse requirement: found '', expected: in, notin, =, ==, !=, gt, lt`.
    public static func parse(_ string: String) throws(SelectorParseError) -> LabelMatcher {
        var parser = LabelSelectorParser(string)
        return LabelMatcher(try parser.parse())
    }
}
