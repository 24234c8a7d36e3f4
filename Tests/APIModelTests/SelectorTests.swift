import Testing
import APIModel

// Expected strings below are Kubernetes' own (k8s.io/apimachinery 1.36), written out
// by hand rather than built from the implementation's constants.

private let labelKeyPattern =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
private let labelValuePattern =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"

private func labelParseError(_ selector: String) -> String? {
    do {
        _ = try LabelMatcher.parse(selector)
        return nil
    } catch {
        return error.message
    }
}

private func fieldParseError(_ selector: String) -> String? {
    do {
        _ = try FieldMatcher.parse(selector)
        return nil
    } catch {
        return error.message
    }
}

private func conversionError(_ selector: LabelSelector) -> String? {
    do {
        _ = try LabelMatcher(selector)
        return nil
    } catch {
        return error.message
    }
}

@Suite struct LabelSelectorParsingTests {
    @Test(arguments: [
        ("", ""),
        ("   ", ""),
        ("x=a,y=b,z=c", "x=a,y=b,z=c"),
        ("x!=a,y=b", "x!=a,y=b"),
        ("x=", "x="),
        ("x= ", "x="),
        ("x=,z= ", "x=,z="),
        ("x= ,z= ", "x=,z="),
        ("!x", "!x"),
        ("x>1", "x>1"),
        ("x>1,z<5", "x>1,z<5"),
        ("x==a", "x==a"),
        ("x=a,a=x", "a=x,x=a"),
        ("a=x,x=a", "a=x,x=a"),
        ("\rx", "x"),
        ("a ", "a"),
        ("x in (b,a)", "x in (a,b)"),
        ("foo  in\t (abc)", "foo in (abc)"),
        ("x notin\n (abc)", "x notin (abc)"),
        ("x  notin\t\t(abc,def)", "x notin (abc,def)"),
        ("x in (abc,)", "x in (,abc)"),
        ("x in (abc,abc)", "x in (abc)"),
        ("x in ()", "x in ()"),
        ("x notin ( )", "x notin ()"),
        ("x notin (, a)", "x notin (,a)"),
        ("x in (a,,a,,a,,a,,)", "x in (,a)"),
        ("x notin (abc,,def),bar,z in (),w", "bar,w,x notin (,abc,def),z in ()"),
        ("a in (x,y,notin, z,in)", "a in (in,notin,x,y,z)"),
        ("notin=in", "notin=in"),
        ("in in (in)", "in in (in)"),
        ("this-is-a-dns.domain.com/key-with-dash", "this-is-a-dns.domain.com/key-with-dash"),
        ("0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)", "0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)"),
        ("app = web , tier in ( b , a )", "app=web,tier in (a,b)"),
    ])
    func canonicalForm(input: String, canonical: String) throws {
        #expect(try LabelMatcher.parse(input).description == canonical)
    }

    @Test(arguments: [
        ("k=v", LabelRequirement.Operator.equals, ["v"]),
        ("k==v", .doubleEquals, ["v"]),
        ("k!=v", .notEquals, ["v"]),
        ("k in (v,u)", .in, ["u", "v"]),
        ("k notin (v)", .notIn, ["v"]),
        ("k", .exists, []),
        ("!k", .doesNotExist, []),
        ("k>5", .greaterThan, ["5"]),
        ("k<5", .lessThan, ["5"]),
    ] as [(String, LabelRequirement.Operator, [String])])
    func everyOperator(input: String, op: LabelRequirement.Operator, values: [String]) throws {
        let matcher = try LabelMatcher.parse(input)
        #expect(matcher.requirements.count == 1)
        let requirement = try #require(matcher.requirements.first)
        #expect(requirement.key == "k")
        #expect(requirement.operator == op)
        #expect(requirement.values == values)
    }

    @Test func emptyIsEverything() throws {
        let matcher = try LabelMatcher.parse("")
        #expect(matcher.isEverything)
        #expect(!matcher.isNothing)
        #expect(matcher == .everything)
        #expect(matcher.matches([:]))
        #expect(matcher.matches(["a": "b"]))
    }

    @Test(arguments: [
        // The value "a||y" is checked before the parser sees the second '='.
        ("x=a||y=b", "unable to parse requirement: values[0][x]: Invalid value: \"a||y\": " + labelValuePattern),
        ("x=a=b", "found '=', expected: ',' or 'end of string'"),
        ("x==a==b", "found '==', expected: ',' or 'end of string'"),
        ("!x=a", "found '=', expected: ',' or 'end of string'"),
        ("a in (xyz)b notin ()", "found 'b', expected: ',' or 'end of string'"),
        ("x,,y", "found ',', expected: identifier after ','"),
        ("a in (xyz),", "found '', expected: identifier after ','"),
        (",x,y", "found ',', expected: !, identifier, or 'end of string'"),
        ("(", "found '(', expected: !, identifier, or 'end of string'"),
        ("x nott in (y)", "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt"),
        ("a (", "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"),
        ("a in (xyz abc)", "unable to parse requirement: found 'abc', expected: ',' or ')'"),
        ("a notin(", "unable to parse requirement: found '', expected: ',', ')' or identifier"),
        ("a in (x", "unable to parse requirement: found '', expected: ',' or ')'"),
        ("a in (x,", "unable to parse requirement: found '', expected: ',', or identifier"),
        ("a in b", "unable to parse requirement: found 'b' expected: '('"),
        ("!", "unable to parse requirement: found '', expected: identifier"),
        ("a=(", "unable to parse requirement: found '(', expected: identifier"),
        ("x<a", "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer"),
        ("x>-1", "unable to parse requirement: values[0][x]: Invalid value: \"-1\": " + labelValuePattern),
        ("a=-b", "unable to parse requirement: values[0][a]: Invalid value: \"-b\": " + labelValuePattern),
        ("a in (ok,b-)", "unable to parse requirement: values[0][a]: Invalid value: \"b-\": " + labelValuePattern),
        ("-x", "unable to parse requirement: <nil>: Invalid value: \"-x\": name part " + labelKeyPattern),
        ("x/y/z", "unable to parse requirement: <nil>: Invalid value: \"x/y/z\": a valid label key " + labelKeyPattern
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"),
        ("/x", "unable to parse requirement: <nil>: Invalid value: \"/x\": prefix part must be non-empty"),
    ])
    func errors(input: String, message: String) {
        #expect(labelParseError(input) == message)
    }

    @Test func severalProblemsAreAggregated() {
        #expect(labelParseError("x>a-") == "unable to parse requirement: ["
            + "values[0]: Invalid value: \"a-\": for 'Gt', 'Lt' operators, the value must be an integer, "
            + "values[0][x]: Invalid value: \"a-\": " + labelValuePattern + "]")
    }

    @Test func keyProblemsAreJoinedWithSemicolons() {
        let name = String(repeating: "a", count: 64) + "-"
        #expect(labelParseError(name) == "unable to parse requirement: <nil>: Invalid value: \"\(name)\": "
            + "name part must be no more than 63 characters; name part " + labelKeyPattern)
    }

    @Test func nulByteWhereATokenStartsEndsTheSelector() throws {
        #expect(try LabelMatcher.parse("a=b \u{0},c=d").description == "a=b")
        #expect(labelParseError("a=b,\u{0}c=d") == "found '', expected: identifier after ','")
    }
}

@Suite struct LabelSelectorMatchingTests {
    @Test(arguments: [
        ("", ["x": "y"], true),
        ("x=y", ["x": "y"], true),
        ("x=y,z=w", ["x": "y", "z": "w"], true),
        ("x!=y,z!=w", ["x": "z", "z": "a"], true),
        ("notin=in", ["notin": "in"], true),
        ("x", ["x": "z"], true),
        ("!x", ["y": "z"], true),
        ("x>1", ["x": "2"], true),
        ("x<1", ["x": "0"], true),
        ("x<10", ["x": "-5"], true),
        ("x=z", [:], false),
        ("x=y", ["x": "z"], false),
        ("x=y,z=w", ["x": "w", "z": "w"], false),
        ("x!=y,z!=w", ["x": "z", "z": "w"], false),
        ("x", ["y": "z"], false),
        ("!x", ["x": "z"], false),
        ("x>1", ["x": "0"], false),
        ("x<1", ["x": "2"], false),
        // Missing keys: != and notin match, = and in and gt/lt do not.
        ("x!=a", [:], true),
        ("x notin (a,b)", [:], true),
        ("x notin (a,b)", ["x": "a"], false),
        ("x notin (a,b)", ["x": "c"], true),
        ("x in (a,b)", [:], false),
        ("x in (a,b)", ["x": "b"], true),
        ("x=", [:], false),
        ("x=", ["x": ""], true),
        ("x!=", [:], true),
        ("x!=", ["x": ""], false),
        ("x>1", [:], false),
        ("x>1", ["x": "abc"], false),
        ("foo=bar,foobar=bar,baz=blah", ["foo": "bar", "baz": "blah"], false),
    ] as [(String, [String: String], Bool)])
    func matches(selector: String, labels: [String: String], expected: Bool) throws {
        #expect(try LabelMatcher.parse(selector).matches(labels) == expected)
    }

    @Test func nothingMatchesNothing() {
        #expect(!LabelMatcher.nothing.matches([:]))
        #expect(!LabelMatcher.nothing.matches(["a": "b"]))
        #expect(LabelMatcher.nothing.isNothing)
        #expect(!LabelMatcher.nothing.isEverything)
        #expect(LabelMatcher.nothing.description == "")
        #expect(LabelMatcher.nothing.adding([try! LabelRequirement(key: "a", operator: .exists)]) == .nothing)
    }

    @Test func requiredValue() throws {
        #expect(try LabelMatcher.parse("a=1,b in (2),c in (3,4),d!=5").requiredValue(forKey: "a") == "1")
        #expect(try LabelMatcher.parse("a==1").requiredValue(forKey: "a") == "1")
        #expect(try LabelMatcher.parse("b in (2)").requiredValue(forKey: "b") == "2")
        #expect(try LabelMatcher.parse("c in (3,4)").requiredValue(forKey: "c") == nil)
        #expect(try LabelMatcher.parse("d!=5").requiredValue(forKey: "d") == nil)
        #expect(try LabelMatcher.parse("a=1").requiredValue(forKey: "z") == nil)
    }

    @Test func matchingExactly() {
        let matcher = LabelMatcher(matchingExactly: ["b": "2", "a": "1"])
        #expect(matcher.description == "a=1,b=2")
        #expect(matcher.matches(["a": "1", "b": "2", "c": "3"]))
        #expect(!matcher.matches(["a": "1"]))
        #expect(LabelMatcher(matchingExactly: [:]).isEverything)
    }

    @Test func addingKeepsKeyOrder() throws {
        let matcher = try LabelMatcher.parse("b=1").adding([LabelRequirement(key: "a", operator: .notIn, values: ["y", "x"])])
        #expect(matcher.description == "a notin (x,y),b=1")
    }
}

@Suite struct LabelRequirementTests {
    @Test func validRequirement() throws {
        let requirement = try LabelRequirement(key: "example.com/tier", operator: .in, values: ["b", "a"])
        #expect(requirement.values == ["b", "a"])
        #expect(requirement.description == "example.com/tier in (a,b)")
    }

    @Test(arguments: [
        (LabelRequirement.Operator.in, [String](), "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty"),
        (.notIn, [], "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty"),
        (.equals, ["a", "b"], "values: Invalid value: [\"a\",\"b\"]: exact-match compatibility requires one single value"),
        (.notEquals, [], "values: Invalid value: null: exact-match compatibility requires one single value"),
        (.exists, ["a"], "values: Invalid value: [\"a\"]: values set must be empty for exists and does not exist"),
        (.doesNotExist, ["a"], "values: Invalid value: [\"a\"]: values set must be empty for exists and does not exist"),
        (.greaterThan, ["1", "2"], "values: Invalid value: [\"1\",\"2\"]: for 'Gt', 'Lt' operators, exactly one value is required"),
        (.lessThan, ["x"], "values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer"),
    ] as [(LabelRequirement.Operator, [String], String)])
    func valueCountErrors(op: LabelRequirement.Operator, values: [String], message: String) {
        #expect(throws: SelectorParseError(message)) {
            try LabelRequirement(key: "k", operator: op, values: values)
        }
    }

    @Test func badKeyAndValueTogether() {
        #expect(throws: SelectorParseError("[key: Invalid value: \"-k\": name part " + labelKeyPattern
            + ", values[0][-k]: Invalid value: \"<v>\": " + labelValuePattern + "]")) {
            try LabelRequirement(key: "-k", operator: .equals, values: ["<v>"])
        }
    }

    @Test func quotedValuesUseGoEscapes() {
        #expect(throws: SelectorParseError("values[0][k]: Invalid value: \"a\\\"b\\n\": " + labelValuePattern)) {
            try LabelRequirement(key: "k", operator: .equals, values: ["a\"b\n"])
        }
    }
}

@Suite struct LabelSelectorConversionTests {
    @Test func nilSelectsNothingAndEmptySelectsEverything() throws {
        #expect(try LabelMatcher.from(nil) == .nothing)
        #expect(try LabelMatcher.from(LabelSelector()) == .everything)
        #expect(try LabelMatcher(LabelSelector(matchExpressions: [], matchLabels: [:])) == .everything)
    }

    @Test func labelsAndExpressions() throws {
        let selector = LabelSelector(
            matchExpressions: [
                LabelSelectorRequirement(key: "tier", operator: "In", values: ["b", "a"]),
                LabelSelectorRequirement(key: "canary", operator: "DoesNotExist"),
                LabelSelectorRequirement(key: "env", operator: "NotIn", values: ["prod"]),
                LabelSelectorRequirement(key: "team", operator: "Exists", values: []),
            ],
            matchLabels: ["app": "web", "abc": "x"])
        let matcher = try LabelMatcher(selector)
        #expect(matcher.description == "abc=x,app=web,!canary,env notin (prod),team,tier in (a,b)")
        #expect(matcher.matches(["abc": "x", "app": "web", "team": "t", "tier": "a"]))
        #expect(!matcher.matches(["abc": "x", "app": "web", "team": "t", "tier": "a", "canary": "1"]))
        #expect(!matcher.matches(["abc": "x", "app": "web", "team": "t", "tier": "a", "env": "prod"]))
        #expect(!matcher.matches(["abc": "x", "app": "web", "tier": "a"]))
    }

    @Test(arguments: [
        (LabelSelectorRequirement(key: "a", operator: "Foo", values: ["x"]), "\"Foo\" is not a valid label selector operator"),
        (LabelSelectorRequirement(key: "a", operator: "in", values: ["x"]), "\"in\" is not a valid label selector operator"),
        (LabelSelectorRequirement(key: "a"), "\"\" is not a valid label selector operator"),
        (LabelSelectorRequirement(key: "a", operator: "In"), "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty"),
        (LabelSelectorRequirement(key: "a", operator: "NotIn", values: []), "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty"),
        (LabelSelectorRequirement(key: "a", operator: "Exists", values: ["x"]), "values: Invalid value: [\"x\"]: values set must be empty for exists and does not exist"),
        (LabelSelectorRequirement(operator: "Exists"), "key: Invalid value: \"\": name part must be non-empty; name part " + labelKeyPattern),
    ])
    func expressionErrors(requirement: LabelSelectorRequirement, message: String) {
        #expect(conversionError(LabelSelector(matchExpressions: [requirement])) == message)
    }

    @Test func matchLabelErrors() {
        #expect(conversionError(LabelSelector(matchLabels: ["a b": "x"]))
            == "key: Invalid value: \"a b\": name part " + labelKeyPattern)
        #expect(conversionError(LabelSelector(matchLabels: ["a": "x y"]))
            == "values[0][a]: Invalid value: \"x y\": " + labelValuePattern)
    }
}

@Suite struct FieldSelectorTests {
    @Test(arguments: [
        ("", ""),
        ("a=b", "a=b"),
        ("a==b", "a=b"),
        ("a!=b", "a!=b"),
        ("b!=x,a=y", "a=y,b!=x"),
        ("metadata.name=foo,", "metadata.name=foo"),
        (",metadata.name=foo", "metadata.name=foo"),
        ("=", ""),
        ("!=", ""),
        (",,", ""),
        ("a=", "a="),
        (#"k=\,,k2=v2"#, #"k2=v2,k=\,"#),
        (#"x=a\=\=b"#, #"x=a\=\=b"#),
        (#"x=a||y\=b"#, #"x=a||y\=b"#),
        (#"k=\\"#, #"k=\\"#),
        ("a=b!c", "a=b!c"),
        ("a=!b", "a=!b"),
        ("함=수,목=록", "목=록,함=수"),
    ])
    func canonicalForm(input: String, canonical: String) throws {
        #expect(try FieldMatcher.parse(input).description == canonical)
    }

    @Test func requirementsAreUnescaped() throws {
        let matcher = try FieldMatcher.parse(#"spec.x=a\,b\=c\\d,status.phase!=Running"#)
        #expect(matcher.requirements == [
            FieldRequirement(field: "spec.x", operator: .equals, value: #"a,b=c\d"#),
            FieldRequirement(field: "status.phase", operator: .notEquals, value: "Running"),
        ])
    }

    @Test func operatorSplitsAtTheFirstOperator() throws {
        #expect(try FieldMatcher.parse("a=!b").requirements == [FieldRequirement(field: "a", operator: .equals, value: "!b")])
        #expect(try FieldMatcher.parse("a!=b").requirements == [FieldRequirement(field: "a", operator: .notEquals, value: "b")])
        #expect(try FieldMatcher.parse("a!b=c").requirements == [FieldRequirement(field: "a!b", operator: .equals, value: "c")])
    }

    @Test(arguments: [
        ("a", "invalid selector: 'a'; can't understand 'a'"),
        ("a=b,c", "invalid selector: 'a=b,c'; can't understand 'c'"),
        (#"k=\a"#, #"invalid field selector: invalid escape sequence: \a"#),
        (#"k=\"#, #"invalid field selector: invalid escape sequence: \"#),
        (#"k=\\\"#, #"invalid field selector: invalid escape sequence: \"#),
        ("a==b==c", "invalid field selector: unescaped character in value: 61"),
        ("a=b=c", "invalid field selector: unescaped character in value: 61"),
    ])
    func errors(input: String, message: String) {
        #expect(fieldParseError(input) == message)
    }

    @Test(arguments: [
        ("", ""),
        ("a", "a"),
        ("=", #"\="#),
        (",", #"\,"#),
        (#"\"#, #"\\"#),
        (#"\=\,\"#, #"\\\=\\\,\\"#),
    ])
    func escapingRoundTrips(plain: String, escaped: String) throws {
        #expect(FieldMatcher.escapeValue(plain) == escaped)
        #expect(try FieldMatcher.unescapeValue(escaped) == plain)
    }

    @Test(arguments: [
        ("metadata.name=foo", ["metadata.name": "foo"], true),
        ("metadata.name=foo", ["metadata.name": "bar"], false),
        ("metadata.name!=foo", ["metadata.name": "bar"], true),
        ("spec.nodeName=", [:], true),
        ("spec.nodeName=", ["spec.nodeName": "n1"], false),
        ("spec.nodeName!=", [:], false),
        ("spec.nodeName!=n1", [:], true),
        ("spec.nodeName=n1", [:], false),
        ("a=1,b=2", ["a": "1", "b": "2"], true),
        ("a=1,b=2", ["a": "1", "b": "3"], false),
        ("", [:], true),
    ] as [(String, [String: String], Bool)])
    func matches(selector: String, fields: [String: String], expected: Bool) throws {
        #expect(try FieldMatcher.parse(selector).matches(fields) == expected)
    }

    @Test func supportedFields() throws {
        let matcher = try FieldMatcher.parse("spec.foo=1,metadata.name=a,spec.bar!=2,spec.foo!=3")
        let supported: Set = ["metadata.name", "metadata.namespace"]
        #expect(matcher.unsupportedFields(supported: supported) == ["spec.bar", "spec.foo"])
        #expect(throws: SelectorParseError("field label not supported: spec.bar")) {
            try matcher.validateFields(supported: supported)
        }
        try FieldMatcher.parse("metadata.name=a").validateFields(supported: supported)
        #expect(FieldMatcher.unsupportedFieldMessage("foo") == "field label not supported: foo")
    }

    @Test func requiredValue() throws {
        let matcher = try FieldMatcher.parse("metadata.name!=x,metadata.name=a,metadata.namespace=ns")
        #expect(matcher.requiredValue(forField: "metadata.name") == "a")
        #expect(matcher.requiredValue(forField: "metadata.namespace") == "ns")
        #expect(matcher.requiredValue(forField: "spec.x") == nil)
    }

    @Test func matchingExactly() {
        let matcher = FieldMatcher(matchingExactly: ["b": "x,y", "a": "1"])
        #expect(matcher.description == #"a=1,b=x\,y"#)
        #expect(matcher.matches(["a": "1", "b": "x,y"]))
        #expect(FieldMatcher(matchingExactly: [:]).isEverything)
        #expect(FieldMatcher.everything.matches([:]))
    }
}
