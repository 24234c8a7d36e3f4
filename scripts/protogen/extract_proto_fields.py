#!/usr/bin/env python3
"""Extracts the protobuf layout of Kubernetes API types from their Go sources.

kubectl 1.32+ sends `application/vnd.kubernetes.protobuf` request bodies. Kubernetes' Go types carry both
names a field has on the wire, e.g.

    Replicas *int32 `json:"replicas,omitempty" protobuf:"varint,1,opt,name=replicas"`

This tool reads the Go type declarations of the v1.28 tree (a bare git repository; nothing is checked out)
and writes, for every struct reachable from the kinds Skiff decodes:

  schema/proto-fields.json                              the layout, described below
  Sources/APIModel/Protobuf/ProtoFields.generated.swift that JSON as a Swift string constant

Run it after changing the Kubernetes version or the list of kinds, and commit both outputs; CI never runs it:

  python3 scripts/protogen/extract_proto_fields.py [--repo DIR] [--commit SHA]

Reading the Go tags
-------------------
* `protobuf:"<kind>,<number>,<opt|rep|req>,name=<protoName>[,casttype=T][,castkey=K]"`. The number is the
  field number. The kind (`bytes`/`varint`) is not trustworthy: `discovery/v1.EndpointConditions.Ready` is a
  `*bool` tagged `bytes` but sent as a varint, because go-to-protobuf derives the .proto type from the Go type.
  The `wire` recorded here is therefore derived from the Go type; the tag's kind is kept as `tagKind`.
* `json:"name,omitempty"` gives the JSON name and whether Go's encoding/json omits the zero value.
  `json:",inline"` WITH a protobuf tag (`Volume.VolumeSource`, `Probe.ProbeHandler`) is a nested message on the
  wire whose fields are merged into the parent JSON object. `json:",inline"` WITHOUT a protobuf tag
  (`metav1.TypeMeta`) is absent from the protobuf message; such fields are not listed.
* Named scalar types (`type RestartPolicy string`) are listed under `scalars` with their underlying Go type.
  Named map types (`type ResourceList map[ResourceName]resource.Quantity`) are expanded into the field
  (`map: true`): go-to-protobuf writes them as a proto `map<>`. Named slice types (`type ExtraValue []string`)
  are messages on the wire (`message ExtraValue { repeated string items = 1; }`) and are listed under
  `slices`.
* A few types marshal themselves (to JSON and to protobuf) by hand; they are listed under `special` and the
  decoder treats them specially: metav1.Time / MicroTime (a Timestamp message), resource.Quantity (a message
  with one string), intstr.IntOrString, metav1.FieldsV1 and runtime.RawExtension (raw JSON bytes).

Checks: every field number, proto name and scalar type is compared with the `generated.proto` next to the Go
file (the compiled view); a mismatch aborts. The JSON names are compared with Skiff's own model
(schema/api-types.json) and differences are printed, not fatal.

Output format (schema/proto-fields.json)
----------------------------------------
{
  "source": "...",
  "kinds": [{"apiVersion": "apps/v1", "kind": "Deployment", "type": "apps/v1.Deployment"}, ...],
  "special": {"meta/v1.Time": "time", ...},
  "scalars": {"core/v1.RestartPolicy": "string", ...},
  "slices": {"authorization/v1.ExtraValue": "string", ...},
  "structs": {
    "apps/v1.DeploymentSpec": [
      {"go": "Replicas", "json": "replicas", "number": 1, "wire": "varint", "tagKind": "varint",
       "type": "int32", "pointer": true, "repeated": false, "map": false, "inline": false,
       "omitempty": true},
      ...
    ],
    ...
  }
}
Types are package-qualified (`core/v1.Container`, `meta/v1.ObjectMeta`, `resource.Quantity`); Go builtins
are unqualified (`string`, `int32`, `bool`); `[]byte` is `bytes`. For repeated fields `type` is the element
type; for maps `key` and `value` are given and `type` is the Go map type's name (or `map`).
"""
import argparse
import json
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_REPO = "/work/.mirror/renoce+kubernetes-1.28.0-read/repo"
DEFAULT_COMMIT = "8bfc72d0"
STAGING = "staging/src/k8s.io/"

# Package id -> (import path, Go files to read, generated.proto or None).
PACKAGES = {
    "core/v1": ("k8s.io/api/core/v1", ["api/core/v1/types.go"], "api/core/v1/generated.proto"),
    "apps/v1": ("k8s.io/api/apps/v1", ["api/apps/v1/types.go"], "api/apps/v1/generated.proto"),
    "coordination/v1": ("k8s.io/api/coordination/v1", ["api/coordination/v1/types.go"],
                        "api/coordination/v1/generated.proto"),
    "discovery/v1": ("k8s.io/api/discovery/v1", ["api/discovery/v1/types.go"], "api/discovery/v1/generated.proto"),
    "autoscaling/v1": ("k8s.io/api/autoscaling/v1", ["api/autoscaling/v1/types.go"],
                       "api/autoscaling/v1/generated.proto"),
    "authorization/v1": ("k8s.io/api/authorization/v1", ["api/authorization/v1/types.go"],
                         "api/authorization/v1/generated.proto"),
    "policy/v1": ("k8s.io/api/policy/v1", ["api/policy/v1/types.go"], "api/policy/v1/generated.proto"),
    "meta/v1": ("k8s.io/apimachinery/pkg/apis/meta/v1",
                ["apimachinery/pkg/apis/meta/v1/types.go", "apimachinery/pkg/apis/meta/v1/time.go",
                 "apimachinery/pkg/apis/meta/v1/micro_time.go"],
                "apimachinery/pkg/apis/meta/v1/generated.proto"),
    "resource": ("k8s.io/apimachinery/pkg/api/resource", ["apimachinery/pkg/api/resource/quantity.go"], None),
    "intstr": ("k8s.io/apimachinery/pkg/util/intstr", ["apimachinery/pkg/util/intstr/intstr.go"],
               "apimachinery/pkg/util/intstr/generated.proto"),
    "runtime": ("k8s.io/apimachinery/pkg/runtime", ["apimachinery/pkg/runtime/types.go"],
                "apimachinery/pkg/runtime/generated.proto"),
    "types": ("k8s.io/apimachinery/pkg/types", ["apimachinery/pkg/types/uid.go"], None),
}
IMPORT_PATHS = {path: pkg for pkg, (path, _, _) in PACKAGES.items()}

# The kinds whose request bodies Skiff decodes: (apiVersion, kind, Go type). DeleteOptions is registered in
# every group version; "*" stands for any apiVersion.
KINDS = [
    ("apps/v1", "Deployment", "apps/v1.Deployment"),
    ("apps/v1", "ReplicaSet", "apps/v1.ReplicaSet"),
    ("apps/v1", "StatefulSet", "apps/v1.StatefulSet"),
    ("apps/v1", "DaemonSet", "apps/v1.DaemonSet"),
    ("v1", "Namespace", "core/v1.Namespace"),
    ("v1", "ConfigMap", "core/v1.ConfigMap"),
    ("v1", "Secret", "core/v1.Secret"),
    ("v1", "Service", "core/v1.Service"),
    ("v1", "ServiceAccount", "core/v1.ServiceAccount"),
    ("v1", "Pod", "core/v1.Pod"),
    ("v1", "ReplicationController", "core/v1.ReplicationController"),
    ("v1", "Node", "core/v1.Node"),
    ("v1", "Endpoints", "core/v1.Endpoints"),
    ("v1", "Event", "core/v1.Event"),
    ("coordination.k8s.io/v1", "Lease", "coordination/v1.Lease"),
    ("discovery.k8s.io/v1", "EndpointSlice", "discovery/v1.EndpointSlice"),
    ("autoscaling/v1", "Scale", "autoscaling/v1.Scale"),
    ("authorization.k8s.io/v1", "SelfSubjectAccessReview", "authorization/v1.SelfSubjectAccessReview"),
    ("v1", "Binding", "core/v1.Binding"),
    ("policy/v1", "Eviction", "policy/v1.Eviction"),
    ("*", "DeleteOptions", "meta/v1.DeleteOptions"),
]

# Types that marshal themselves by hand, and how the decoder treats them.
SPECIAL = {
    "meta/v1.Time": "time",
    "meta/v1.MicroTime": "microTime",
    "resource.Quantity": "quantity",
    "intstr.IntOrString": "intOrString",
    "meta/v1.FieldsV1": "rawJSON",
    "runtime.RawExtension": "rawJSON",
}

BUILTINS = {"string", "bool", "int32", "int64", "int", "uint32", "uint64", "float32", "float64", "byte"}
WIRE_OF_BUILTIN = {"string": "bytes", "bytes": "bytes", "bool": "varint", "int32": "varint", "int64": "varint",
                   "int": "varint", "uint32": "varint", "uint64": "varint", "float64": "fixed64",
                   "float32": "fixed32"}
PROTO_SCALAR_OF_BUILTIN = {"string": "string", "bytes": "bytes", "bool": "bool", "int32": "int32",
                           "int64": "int64", "int": "int64", "uint32": "uint32", "uint64": "uint64",
                           "float64": "double", "float32": "float"}


def git_show(repo, commit, path):
    return subprocess.run(["git", "-C", repo, "show", "%s:%s%s" % (commit, STAGING, path)],
                          check=True, capture_output=True, text=True).stdout


# ---------------------------------------------------------------------------------------------- Go parsing

TYPE_LINE = re.compile(r"^type (\w+) (.+?)\s*(//.*)?$")
FIELD_LINE = re.compile(r"^\t(?:(\w+)\s+)?(\*?[\w.\[\]*]+)\s*(?:`([^`]*)`)?\s*(//.*)?$")
TAG = re.compile(r'(\w+):"([^"]*)"')


def parse_imports(source):
    """Maps the names a Go file refers to other packages by (alias or last path element) to package ids."""
    aliases = {}
    block = re.search(r"^import \((.*?)^\)", source, re.S | re.M)
    lines = block.group(1).splitlines() if block else re.findall(r"^import (.*)$", source, re.M)
    for line in lines:
        m = re.match(r'\s*(\w+\s+)?"([^"]+)"', line)
        if not m:
            continue
        path = m.group(2)
        alias = (m.group(1) or "").strip() or path.split("/")[-1]
        if path in IMPORT_PATHS:
            aliases[alias] = IMPORT_PATHS[path]
    return aliases


def parse_go_file(pkg, source, decls):
    """Adds the type declarations of one Go file to `decls` (qualified name -> declaration)."""
    aliases = parse_imports(source)
    lines = source.splitlines()
    i = 0
    while i < len(lines):
        m = TYPE_LINE.match(lines[i])
        i += 1
        if not m:
            continue
        name, rhs = m.group(1), m.group(2)
        qualified = "%s.%s" % (pkg, name)
        if rhs == "struct {":
            fields = []
            while not lines[i].startswith("}"):
                fields.append(lines[i])
                i += 1
            decls[qualified] = {"kind": "struct", "pkg": pkg, "aliases": aliases, "lines": fields}
        elif rhs == "struct{}":
            decls[qualified] = {"kind": "struct", "pkg": pkg, "aliases": aliases, "lines": []}
        elif not rhs.startswith("interface"):
            decls[qualified] = {"kind": "named", "pkg": pkg, "aliases": aliases, "underlying": rhs}


def resolve(type_expr, pkg, aliases):
    """Qualifies a Go type name: builtins stay bare, `metav1.X` becomes `meta/v1.X`, `X` becomes `<pkg>.X`."""
    if type_expr in BUILTINS:
        return type_expr
    if "." in type_expr:
        alias, name = type_expr.split(".", 1)
        if alias not in aliases:
            return None  # a package we do not read (time.Time, fmt...)
        return "%s.%s" % (aliases[alias], name)
    return "%s.%s" % (pkg, type_expr)


def split_map(expr):
    """`map[K]V` -> (K, V), honouring nested brackets in V."""
    assert expr.startswith("map[")
    depth, j = 1, 4
    while depth:
        depth += {"[": 1, "]": -1}.get(expr[j], 0)
        j += 1
    return expr[4:j - 1], expr[j:]


def parse_tags(text):
    return dict(TAG.findall(text or ""))


def parse_protobuf_tag(tag):
    parts = tag.split(",")
    out = {"tagKind": parts[0], "number": int(parts[1])}
    for p in parts[2:]:
        if "=" in p:
            k, v = p.split("=", 1)
            out[k] = v
        else:
            out["label"] = p
    return out


# -------------------------------------------------------------------------------------------- the schema

class Extractor:
    def __init__(self, decls):
        self.decls = decls
        self.structs = {}
        self.scalars = {}
        self.slices = {}
        self.pending = []

    def need(self, qualified):
        """Queues a struct type for extraction; records named scalar and slice types."""
        if qualified is None:
            raise SystemExit("unresolvable type")
        if qualified in BUILTINS or qualified == "bytes":
            return
        if qualified in SPECIAL:
            if qualified not in self.structs and self.decls.get(qualified, {}).get("kind") == "struct":
                self.pending.append(qualified)
            return
        decl = self.decls.get(qualified)
        if decl is None:
            raise SystemExit("type %s is not declared in the files read" % qualified)
        if decl["kind"] == "struct":
            if qualified not in self.structs and qualified not in self.pending:
                self.pending.append(qualified)
            return
        underlying = decl["underlying"]
        if underlying in BUILTINS:
            self.scalars[qualified] = underlying
        elif underlying.startswith("[]") and underlying != "[]byte":
            elem = resolve(underlying[2:], decl["pkg"], decl["aliases"])
            self.slices[qualified] = elem
            self.need(elem)
        elif underlying.startswith("map["):
            pass  # expanded into the field by field_type
        else:
            raise SystemExit("unsupported named type %s = %s" % (qualified, underlying))

    def base_of(self, qualified):
        """The underlying builtin of a named scalar type (or the type itself)."""
        return self.scalars.get(qualified, qualified)

    def field_type(self, expr, pkg, aliases):
        """Describes a Go field type: pointer, repeated, map, element/key/value types."""
        out = {"pointer": False, "repeated": False, "map": False}
        if expr.startswith("*"):
            out["pointer"] = True
            expr = expr[1:]
        if expr == "[]byte":
            out["type"] = "bytes"
            return out
        if expr.startswith("[]"):
            out["repeated"] = True
            elem = expr[2:]
            if elem.startswith("*"):
                raise SystemExit("slices of pointers are not expected: %s" % expr)
            out["type"] = "bytes" if elem == "[]byte" else resolve(elem, pkg, aliases)
            self.need(out["type"])
            return out
        map_name = None
        if not expr.startswith("map["):
            qualified = resolve(expr, pkg, aliases)
            decl = self.decls.get(qualified)
            if decl and decl["kind"] == "named" and decl["underlying"].startswith("map["):
                map_name, expr, pkg, aliases = qualified, decl["underlying"], decl["pkg"], decl["aliases"]
        if expr.startswith("map["):
            key, value = split_map(expr)
            out["map"] = True
            out["type"] = map_name or "map"
            out["key"] = resolve(key, pkg, aliases)
            out["value"] = "bytes" if value == "[]byte" else resolve(value, pkg, aliases)
            self.need(out["key"])
            self.need(out["value"])
            return out
        out["type"] = resolve(expr, pkg, aliases)
        self.need(out["type"])
        return out

    def wire_of(self, qualified):
        base = self.base_of(qualified)
        if base in WIRE_OF_BUILTIN:
            return WIRE_OF_BUILTIN[base]
        return "bytes"  # messages, named slices

    def extract_struct(self, qualified):
        decl = self.decls[qualified]
        fields = []
        in_block_comment = False
        for line in decl["lines"]:
            stripped = line.strip()
            if in_block_comment or stripped.startswith("/*"):
                in_block_comment = "*/" not in stripped
                continue
            if not stripped or stripped.startswith("//"):
                continue
            m = FIELD_LINE.match(line)
            if not m:
                raise SystemExit("cannot parse field of %s: %r" % (qualified, line))
            go_name, type_expr, tag_text = m.group(1), m.group(2), m.group(3)
            tags = parse_tags(tag_text)
            proto = tags.get("protobuf")
            if proto is None or proto == "-":
                continue  # not on the wire (TypeMeta inline, Time's embedded time.Time, Quantity's internals)
            json_parts = tags.get("json", "").split(",")
            embedded = go_name is None
            if embedded:
                go_name = type_expr.lstrip("*").split(".")[-1]
            json_name = json_parts[0] if tags.get("json") is not None else go_name
            inline = "inline" in json_parts[1:] or (embedded and json_name == "")
            tag = parse_protobuf_tag(proto)
            field = {"go": go_name, "json": "" if inline else json_name, "number": tag["number"]}
            field.update(self.field_type(type_expr, decl["pkg"], decl["aliases"]))
            if field["map"]:
                field["wire"] = "bytes"
            else:
                field["wire"] = self.wire_of(field["type"])
            field["tagKind"] = tag["tagKind"]
            field["inline"] = inline
            field["omitempty"] = "omitempty" in json_parts[1:]
            field["protoName"] = tag.get("name", "")
            fields.append(field)
        return fields

    def run(self, roots):
        for root in roots:
            self.need(root)
        while self.pending:
            qualified = self.pending.pop(0)
            if qualified in self.structs:
                continue
            self.structs[qualified] = self.extract_struct(qualified)


# ------------------------------------------------------------------------------- generated.proto checking

PROTO_MESSAGE = re.compile(r"^message (\w+) \{(.*?)^\}", re.S | re.M)
PROTO_FIELD = re.compile(r"^\s*(optional|repeated|required)?\s*(map<\s*[\w.]+\s*,\s*[\w.]+\s*>|[\w.]+)\s+(\w+)\s*=\s*(\d+)\s*;",
                         re.M)


def parse_generated_proto(text):
    messages = {}
    for m in PROTO_MESSAGE.finditer(text):
        body = re.sub(r"//.*", "", m.group(2))
        messages[m.group(1)] = {int(f.group(4)): (f.group(1) or "", f.group(2), f.group(3))
                                for f in PROTO_FIELD.finditer(body)}
    return messages


def check_against_proto(extractor, protos):
    problems = []
    tag_kind_notes = []
    for qualified, fields in sorted(extractor.structs.items()):
        pkg, name = qualified.split(".", 1)
        messages = protos.get(pkg)
        if messages is None or name not in messages:
            if messages is not None and qualified not in SPECIAL:
                problems.append("%s: no message in generated.proto" % qualified)
            continue
        message = messages[name]
        if qualified in ("meta/v1.Time", "meta/v1.MicroTime"):
            continue  # `+protobuf.as=Timestamp`: no Go fields; the decoder reads the Timestamp message
        if set(message) != {f["number"] for f in fields}:
            problems.append("%s: numbers %s in Go, %s in proto" % (
                qualified, sorted(f["number"] for f in fields), sorted(message)))
        for f in fields:
            if f["number"] not in message:
                continue
            label, ptype, pname = message[f["number"]]
            if f["protoName"] and pname != f["protoName"]:
                problems.append("%s.%s: proto name %s, tag says %s" % (qualified, f["go"], pname, f["protoName"]))
            if f["map"]:
                if not ptype.startswith("map<"):
                    problems.append("%s.%s: map in Go, %s in proto" % (qualified, f["go"], ptype))
                continue
            if (label == "repeated") != f["repeated"]:
                problems.append("%s.%s: repeated mismatch (%s)" % (qualified, f["go"], label))
            base = extractor.base_of(f["type"])
            expected = PROTO_SCALAR_OF_BUILTIN.get(base)
            if expected is not None and ptype != expected:
                problems.append("%s.%s: Go %s, proto %s" % (qualified, f["go"], base, ptype))
            if expected is None and ptype in PROTO_SCALAR_OF_BUILTIN.values():
                problems.append("%s.%s: message %s in Go, scalar %s in proto" % (qualified, f["go"], base, ptype))
            tag_wire = {"bytes": "bytes", "varint": "varint", "fixed64": "fixed64", "fixed32": "fixed32"}
            if tag_wire.get(f["tagKind"]) != f["wire"] and not f["repeated"]:
                tag_kind_notes.append("%s.%s: tag says %s, sent as %s" % (qualified, f["go"], f["tagKind"], f["wire"]))
    return problems, tag_kind_notes


# ----------------------------------------------------------------------------- comparison with Skiff's model

def model_definition_name(qualified):
    pkg, name = qualified.split(".", 1)
    prefix = {
        "meta/v1": "io.k8s.apimachinery.pkg.apis.meta.v1",
        "resource": "io.k8s.apimachinery.pkg.api.resource",
        "intstr": "io.k8s.apimachinery.pkg.util.intstr",
        "runtime": "io.k8s.apimachinery.pkg.runtime",
    }.get(pkg, "io.k8s.api." + pkg.replace("/", "."))
    return "%s.%s" % (prefix, name)


def json_names(extractor, qualified):
    """The JSON member names of a struct, inline members flattened."""
    names = set()
    for f in extractor.structs.get(qualified, []):
        if f["inline"]:
            names |= json_names(extractor, f["type"])
        elif f["json"] != "-":
            names.add(f["json"])
    return names


def compare_with_model(extractor):
    path = os.path.join(ROOT, "schema", "api-types.json")
    if not os.path.exists(path):
        return []
    with open(path) as fh:
        model = json.load(fh)
    notes = []
    inline_targets = {f["type"] for fs in extractor.structs.values() for f in fs if f["inline"]}
    for qualified in sorted(extractor.structs):
        if qualified in SPECIAL or qualified in inline_targets:
            continue
        definition = model.get(model_definition_name(qualified))
        if definition is None:
            notes.append("%s: not in schema/api-types.json" % qualified)
            continue
        ours = json_names(extractor, qualified)
        theirs = set(definition.get("properties", {}))
        model_only = theirs - ours - {"apiVersion", "kind"}  # TypeMeta, not on the wire
        if model_only:
            notes.append("%s: model only: %s" % (qualified, ", ".join(sorted(model_only))))
        if ours - theirs:
            notes.append("%s: protobuf only: %s" % (qualified, ", ".join(sorted(ours - theirs))))
    return notes


# ------------------------------------------------------------------------------------------------- output

def render_json(source, extractor):
    lines = ["{"]
    lines.append('  "source": %s,' % json.dumps(source))
    kinds = ",\n".join('    {"apiVersion": %s, "kind": %s, "type": %s}' % tuple(json.dumps(x) for x in k)
                       for k in KINDS)
    lines.append('  "kinds": [\n%s\n  ],' % kinds)
    for key, table in (("special", SPECIAL), ("scalars", extractor.scalars), ("slices", extractor.slices)):
        body = ",\n".join("    %s: %s" % (json.dumps(k), json.dumps(v)) for k, v in sorted(table.items()))
        lines.append('  "%s": {\n%s\n  },' % (key, body) if body else '  "%s": {},' % key)
    structs = []
    order = ["go", "json", "number", "wire", "tagKind", "type", "key", "value", "pointer", "repeated", "map",
             "inline", "omitempty"]
    for qualified in sorted(extractor.structs):
        rows = []
        for f in extractor.structs[qualified]:
            rows.append("      {%s}" % ", ".join('"%s": %s' % (k, json.dumps(f[k])) for k in order if k in f))
        structs.append('    %s: [\n%s\n    ]' % (json.dumps(qualified), ",\n".join(rows)) if rows
                       else '    %s: []' % json.dumps(qualified))
    lines.append('  "structs": {\n%s\n  }' % ",\n".join(structs))
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_swift(text):
    assert '"""#' not in text
    return ("// Generated by scripts/protogen/extract_proto_fields.py from schema/proto-fields.json. Do not edit.\n"
            "\n"
            "extension ProtoSchema {\n"
            "    /// The protobuf layout of the Kubernetes types Skiff decodes (schema/proto-fields.json).\n"
            "    static let embeddedJSON = #\"\"\"\n"
            + text +
            "\"\"\"#\n"
            "}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", default=DEFAULT_REPO, help="bare git repository of kubernetes")
    parser.add_argument("--commit", default=DEFAULT_COMMIT)
    parser.add_argument("--check-only", action="store_true", help="print the checks, write nothing")
    args = parser.parse_args()

    decls = {}
    protos = {}
    for pkg, (_, files, proto) in PACKAGES.items():
        for path in files:
            parse_go_file(pkg, git_show(args.repo, args.commit, path), decls)
        if proto:
            protos[pkg] = parse_generated_proto(git_show(args.repo, args.commit, proto))

    extractor = Extractor(decls)
    extractor.run([t for _, _, t in KINDS])

    problems, tag_notes = check_against_proto(extractor, protos)
    for note in tag_notes:
        print("note: " + note, file=sys.stderr)
    for note in compare_with_model(extractor):
        print("model: " + note, file=sys.stderr)
    if problems:
        for p in problems:
            print("error: " + p, file=sys.stderr)
        raise SystemExit("%d mismatches with generated.proto" % len(problems))
    print("%d structs, %d named scalars, %d named slices" % (
        len(extractor.structs), len(extractor.scalars), len(extractor.slices)), file=sys.stderr)
    if args.check_only:
        return

    commit = subprocess.run(["git", "-C", args.repo, "rev-parse", args.commit], check=True, capture_output=True,
                            text=True).stdout.strip()
    text = render_json("kubernetes v1.28.0 Go types (commit %s), scripts/protogen/extract_proto_fields.py" % commit,
                       extractor)
    json.loads(text)  # well-formed
    with open(os.path.join(ROOT, "schema", "proto-fields.json"), "w") as fh:
        fh.write(text)
    out_dir = os.path.join(ROOT, "Sources", "APIModel", "Protobuf")
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "ProtoFields.generated.swift"), "w") as fh:
        fh.write(render_swift(text))


if __name__ == "__main__":
    main()
