#!/usr/bin/env python3
"""Generates Skiff's API model from schema/api-types.json and schema/descriptions.json.

Writes:
  Sources/APIModel/Generated/<Group>.generated.swift   Codable structs, one per schema definition
  Sources/APIModel/Generated/<Group>+JSON.generated.swift   their JSONReadable/JSONWritable conformances
  Sources/APIModel/Generated/OpenAPISchemas.generated.swift   the OpenAPI v3 component schemas as JSON

Run it after editing either schema file and commit the output; CI never runs it:
  python3 scripts/modelgen/gen_model.py
"""
import json
import os
import re

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "Sources", "APIModel", "Generated")

# Schema definitions implemented by hand in Sources/APIModel/Meta.
HANDWRITTEN = {
    "io.k8s.apimachinery.pkg.api.resource.Quantity": "Quantity",
    "io.k8s.apimachinery.pkg.apis.meta.v1.Time": "Time",
    "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": "MicroTime",
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": "IntOrString",
    "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1": "JSONValue",
    "io.k8s.apimachinery.pkg.runtime.RawExtension": "JSONValue",
}
# Short names that would collide get a group prefix.
RENAMES = {
    "io.k8s.api.discovery.v1.EndpointPort": "DiscoveryEndpointPort",
}
KEYWORDS = {"protocol", "operator", "default", "continue", "where", "in", "is", "as", "repeat", "return",
            "self", "Type", "init", "import", "internal", "extension", "func", "class", "struct", "enum",
            "case", "if", "else", "for", "while", "switch", "break", "var", "let", "public", "private",
            "static", "subscript", "throws", "true", "false", "nil", "deinit", "guard", "defer", "do", "catch"}


def swift_name(defname):
    if defname in HANDWRITTEN:
        return HANDWRITTEN[defname]
    if defname in RENAMES:
        return RENAMES[defname]
    return defname.split(".")[-1]


def group_file(defname):
    parts = defname.split(".")
    if defname.startswith("io.k8s.apimachinery"):
        return "Meta"
    # io.k8s.api.<group>.<version>.<Name>
    return parts[3].capitalize() + parts[4].upper()


def ident(name):
    return "`%s`" % name if name in KEYWORDS else name


def ref_name(ref):
    return ref.split("/")[-1]


def swift_type(prop):
    if "$ref" in prop:
        return swift_name(ref_name(prop["$ref"]))
    t = prop.get("type")
    f = prop.get("format")
    if t == "string":
        if f == "byte":
            return "Data"
        return "String"
    if t == "integer":
        return {"int32": "Int32", "int64": "Int64"}.get(f, "Int")
    if t == "number":
        return "Double"
    if t == "boolean":
        return "Bool"
    if t == "array":
        return "[%s]" % swift_type(prop["items"])
    if t == "object":
        if "additionalProperties" in prop:
            return "[String: %s]" % swift_type(prop["additionalProperties"])
        return "JSONValue"
    raise ValueError("unmapped property %r" % prop)


def doc_lines(text, indent):
    if not text:
        return []
    out = []
    for line in text.strip().split("\n"):
        out.append("%s/// %s" % (indent, line.rstrip()))
    return out


def ordered_properties(defn):
    props = list(defn.get("properties", {}).keys())
    front = [p for p in ("kind", "apiVersion", "metadata") if p in props]
    return front + sorted(p for p in props if p not in front)


def gen_struct(defname, defn, descriptions):
    name = swift_name(defname)
    props = ordered_properties(defn)
    gvks = defn.get("x-kubernetes-group-version-kind")
    is_kind = bool(gvks) and len(gvks) == 1 and {"kind", "apiVersion", "metadata"} <= set(props) \
        and "ObjectMeta" in json.dumps(defn["properties"]["metadata"])
    is_list = {"kind", "apiVersion", "metadata", "items"} <= set(props) and "ListMeta" in json.dumps(
        defn["properties"]["metadata"])
    conformances = ["Codable", "Hashable", "Sendable"]
    if is_kind:
        conformances = ["KubernetesObject"]
    elif is_list and bool(gvks):
        conformances = ["KubernetesList"]
    lines = []
    lines += doc_lines(descriptions.get(defname) or "%s (schema %s)." % (name, defname), "")
    lines.append("public struct %s: %s {" % (name, ", ".join(conformances)))
    if gvks and len(gvks) == 1:
        g = gvks[0]
        lines.append("    public static let groupVersionKind = GroupVersionKind(group: %s, version: %s, kind: %s)" % (
            json.dumps(g["group"]), json.dumps(g["version"]), json.dumps(g["kind"])))
    if is_list:
        item = swift_type(defn["properties"]["items"]["items"])
        lines.append("    public typealias Item = %s" % item)
    lines.append("")
    types = {}
    for p in props:
        prop = defn["properties"][p]
        types[p] = swift_type(prop)
        lines += doc_lines(descriptions.get(defname + "." + p), "    ")
        if types[p] in STRUCT_NAMES:
            # Nested structs live out of line (see Indirect): unset, they cost a pointer.
            lines.append("    public var %s: %s? {" % (ident(p), types[p]))
            lines.append("        get { _%s?.value }" % p)
            lines.append("        set { _%s = newValue.map(Indirect.init) }" % p)
            lines.append("    }")
            lines.append("    private var _%s: Indirect<%s>?" % (p, types[p]))
        else:
            lines.append("    public var %s: %s?" % (ident(p), types[p]))
    lines.append("")
    # Memberwise initializer; kinds and lists default apiVersion and kind from their group-version-kind.
    params = []
    for p in props:
        default = "nil"
        if (is_kind or is_list) and gvks and len(gvks) == 1 and p == "apiVersion":
            default = "Self.groupVersionKind.apiVersion"
        if (is_kind or is_list) and gvks and len(gvks) == 1 and p == "kind":
            default = "Self.groupVersionKind.kind"
        params.append("%s: %s? = %s" % (ident(p), types[p], default))
    lines.append("    public init(%s) {" % ", ".join(params))
    for p in props:
        lines.append("        self.%s = %s" % (ident(p), ident(p)))
    lines.append("    }")
    lines.append("")
    if props:
        lines.append("    enum CodingKeys: String, CodingKey {")
        lines.append("        case %s" % ", ".join(ident(p) for p in props))
        lines.append("    }")
        lines.append("")
    lines.append("    public init(from decoder: any Decoder) throws {")
    if props:
        lines.append("        let container = try decoder.container(keyedBy: CodingKeys.self)")
        for p in props:
            if defname == "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" and p == "managedFields":
                # Readers that never look at managedFields (caches, informers) skip the costliest part of an object.
                lines.append("        self.%s = decoder.skipsManagedFields ? nil : try container.decodeIfPresent(%s.self, forKey: .%s)" % (
                    ident(p), types[p], ident(p)))
                continue
            lines.append("        self.%s = try container.decodeIfPresent(%s.self, forKey: .%s)" % (
                ident(p), types[p], ident(p)))
        lines.append("        try decoder.recordUnknownFields(known: CodingKeys.self)")
    else:
        lines.append("        try decoder.recordUnknownFields(known: EmptyCodingKeys.self)")
    lines.append("    }")
    lines.append("")
    lines.append("    public func encode(to encoder: any Encoder) throws {")
    if props:
        lines.append("        var container = encoder.container(keyedBy: CodingKeys.self)")
        for p in props:
            lines.append("        try container.encodeIfPresent(self.%s, forKey: .%s)" % (ident(p), ident(p)))
    else:
        lines.append("        _ = encoder.container(keyedBy: EmptyCodingKeys.self)")
    lines.append("    }")
    lines.append("}")
    return "\n".join(lines)


def gen_json_coding(defname, defn):
    """JSONReadable and JSONWritable for one struct: the same documents as its Codable conformance, read and
    written straight from bytes (see Sources/APIModel/JSONCoding)."""
    name = swift_name(defname)
    props = ordered_properties(defn)
    types = {p: swift_type(defn["properties"][p]) for p in props}
    has_defaults = "kind" in props and "apiVersion" in props and bool(defn.get("x-kubernetes-group-version-kind"))
    lines = ["extension %s: JSONReadable, JSONWritable {" % name]
    lines.append("    public init(reading reader: inout JSONReader) throws(JSONParsingError) {")
    # Every property starts nil, including kind and apiVersion (which the memberwise initializer defaults).
    lines.append("        self.init(%s)" % ("kind: nil, apiVersion: nil" if has_defaults else ""))
    lines.append("        try reader.beginObject()")
    lines.append("        var first = true")
    lines.append("        while let key = try reader.nextKey(first: &first) {")
    lines.append("            switch key {")
    for p in props:
        read = "self.%s = try reader.readOptional(%s.self)" % (ident(p), types[p])
        if defname == "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" and p == "managedFields":
            read = "if reader.skipsManagedFields { try reader.skipValue() } else { %s }" % read
        lines.append("            case %s: %s" % (json.dumps(p), read))
    lines.append("            default: try reader.skipUnknownField()")
    lines.append("            }")
    lines.append("        }")
    lines.append("    }")
    lines.append("")
    lines.append("    public func write(to writer: inout JSONWriter) {")
    lines.append("        writer.beginObject()")
    for p in sorted(props):
        lines.append("        if let value = self.%s { writer.key(%s); value.write(to: &writer) }" % (ident(p), json.dumps(p)))
    lines.append("        writer.endObject()")
    lines.append("    }")
    lines.append("}")
    return "\n".join(lines)


def openapi_schema(defname, defn, descriptions):
    """The definition as an OpenAPI v3 component schema, with Skiff's descriptions."""
    def convert(node, path):
        out = {}
        for k, v in node.items():
            if k == "$ref":
                out[k] = "#/components/schemas/" + ref_name(v)
            elif k == "properties":
                props = {}
                for pk, pv in v.items():
                    converted = convert(pv, path + "." + pk)
                    desc = descriptions.get(path + "." + pk)
                    if "$ref" in converted:
                        converted = {"allOf": [{"$ref": converted.pop("$ref")}], **converted}
                    if desc:
                        converted["description"] = desc
                    props[pk] = converted
                out[k] = props
            elif k in ("items", "additionalProperties"):
                out[k] = convert(v, path)
            else:
                out[k] = v
        return out
    schema = convert(defn, defname)
    desc = descriptions.get(defname)
    if desc:
        schema["description"] = desc
    return schema


# The generated struct names (filled by main): fields of these types are stored out of line.
STRUCT_NAMES = set()


def main():
    types = json.load(open(os.path.join(ROOT, "schema", "api-types.json")))
    STRUCT_NAMES.update(swift_name(d) for d in types if d not in HANDWRITTEN)
    descriptions = json.load(open(os.path.join(ROOT, "schema", "descriptions.json")))
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".generated.swift"):
            os.remove(os.path.join(OUT, f))
    files = {}
    for defname in sorted(types):
        if defname in HANDWRITTEN:
            continue
        files.setdefault(group_file(defname), []).append(gen_struct(defname, types[defname], descriptions))
        files.setdefault(group_file(defname) + "+JSON", []).append(gen_json_coding(defname, types[defname]))
    header = ("// Generated by scripts/modelgen/gen_model.py from schema/api-types.json and schema/descriptions.json.\n"
              "// Do not edit: change the schema files and run the generator.\n\nimport Foundation\n\n")
    for group, structs in files.items():
        with open(os.path.join(OUT, group + ".generated.swift"), "w") as fh:
            fh.write(header + "\n\n".join(structs) + "\n")
    schemas = {name: openapi_schema(name, types[name], descriptions) for name in sorted(types)}
    blob = json.dumps(schemas, sort_keys=True, separators=(",", ":"))
    assert '"#"' not in blob
    with open(os.path.join(OUT, "OpenAPISchemas.generated.swift"), "w") as fh:
        fh.write(header)
        fh.write("/// The OpenAPI v3 component schemas of every served type, keyed by definition name\n")
        fh.write("/// (e.g. `io.k8s.api.core.v1.Pod`), as compact JSON.\n")
        fh.write("public let openAPIComponentSchemasJSON: String = ##\"%s\"##\n" % blob)


if __name__ == "__main__":
    main()
