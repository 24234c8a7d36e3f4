import APIModel

/// Values rendered as Go's `%#v` prints them, which is how Kubernetes shows a non-scalar value in a field
/// error (`Invalid value: map[string]string{"app":"web"}: …`). Only the shapes our validation reports.
enum GoSyntax {
    /// A Go string literal, as `%#v` prints it (`strconv.Quote`).
    static func string(_ value: String) -> String {
        GoFormatting.quoted(value)
    }

    /// `map[string]string{"a":"1", "b":"2"}` (keys sorted, as `fmt` sorts them), or `map[string]string(nil)`.
    static func stringMap(_ map: [String: String]?) -> String {
        guard let map else { return "map[string]string(nil)" }
        let entries = map.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            .map { string($0.key) + ":" + string($0.value) }
        return "map[string]string{" + entries.joined(separator: ", ") + "}"
    }

    /// `[]string{"a", "b"}`, or `[]string(nil)`.
    static func stringSlice(_ values: [String]?) -> String {
        guard let values else { return "[]string(nil)" }
        return "[]string{" + values.map(string).joined(separator: ", ") + "}"
    }

    /// A `metav1.LabelSelector` (Kubernetes dereferences the pointer before printing).
    static func labelSelector(_ selector: LabelSelector) -> String {
        let expressions: String
        if let list = selector.matchExpressions {
            expressions = "[]v1.LabelSelectorRequirement{" + list.map { requirement in
                "v1.LabelSelectorRequirement{Key:\(string(requirement.key ?? "")), "
                    + "Operator:\(string(requirement.operator ?? "")), Values:\(stringSlice(requirement.values))}"
            }.joined(separator: ", ") + "}"
        } else {
            expressions = "[]v1.LabelSelectorRequirement(nil)"
        }
        return "v1.LabelSelector{MatchLabels:\(stringMap(selector.matchLabels)), MatchExpressions:\(expressions)}"
    }

    /// An `intstr.IntOrString` (type 0 is an integer, 1 a string).
    static func intOrString(_ value: IntOrString) -> String {
        switch value {
        case .int(let number): return "intstr.IntOrString{Type:0, IntVal:\(number), StrVal:\"\"}"
        case .string(let text): return "intstr.IntOrString{Type:1, IntVal:0, StrVal:\(string(text))}"
        }
    }

    /// A `core.Toleration`. Go prints a set `tolerationSeconds` as a pointer address, which no one can
    /// match; we print a placeholder address then.
    static func toleration(_ toleration: Toleration) -> String {
        "core.Toleration{Key:\(string(toleration.key ?? "")), Operator:\(string(toleration.operator ?? "")), "
            + "Value:\(string(toleration.value ?? "")), Effect:\(string(toleration.effect ?? "")), "
            + "TolerationSeconds:(*int64)(\(toleration.tolerationSeconds == nil ? "nil" : "0xc000000000"))}"
    }

    /// A `core.Taint` without `timeAdded` (the only kind a duplicate check reports usefully).
    static func taint(_ taint: Taint) -> String {
        "core.Taint{Key:\(string(taint.key ?? "")), Value:\(string(taint.value ?? "")), "
            + "Effect:\(string(taint.effect ?? "")), TimeAdded:(*v1.Time)(nil)}"
    }

    /// An `apps` update strategy struct (`apps.DeploymentStrategy{Type:"X", RollingUpdate:…}`); a set
    /// rolling update prints as a placeholder pointer address.
    static func strategy(_ typeName: String, type: String, rollingUpdateType: String, hasRollingUpdate: Bool) -> String {
        "apps.\(typeName){Type:\(string(type)), RollingUpdate:(*apps.\(rollingUpdateType))("
            + (hasRollingUpdate ? "0xc000000000" : "nil") + ")}"
    }

    /// The `core.ServicePort{Protocol, Port}` key Kubernetes builds to find duplicate service ports.
    static func servicePortKey(protocol: String, port: Int32) -> String {
        "core.ServicePort{Name:\"\", Protocol:\(string(`protocol`)), AppProtocol:(*string)(nil), Port:\(port), "
            + "TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}"
    }
}
