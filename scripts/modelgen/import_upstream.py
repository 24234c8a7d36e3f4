#!/usr/bin/env python3
"""Bootstrap schema/api-types.json from an upstream Kubernetes swagger.json.

Keeps only the structure of the definitions Skiff serves (names, types, formats, references, required
lists, the x-kubernetes-* extensions that carry merge keys and list types, and the group-version-kind of
each kind). Descriptions are not kept: Skiff's own live in schema/descriptions.json.

This is a one-time developer step (after that, schema/api-types.json is edited by hand when Kubernetes adds
fields); CI never runs it.  Usage: import_upstream.py path/to/swagger.json > schema/api-types.json
"""
import json
import sys

ROOT_KINDS = {
    "io.k8s.api.core.v1.": ["Namespace", "Pod", "Node", "Service", "Endpoints", "Event", "ConfigMap", "Secret",
                            "ServiceAccount", "ReplicationController", "Binding", "PodTemplate"],
    "io.k8s.api.apps.v1.": ["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "ControllerRevision"],
    "io.k8s.api.coordination.v1.": ["Lease"],
    "io.k8s.api.discovery.v1.": ["EndpointSlice"],
    "io.k8s.api.autoscaling.v1.": ["Scale"],
    "io.k8s.api.authorization.v1.": ["SelfSubjectAccessReview"],
    "io.k8s.apimachinery.pkg.apis.meta.v1.": ["Status", "DeleteOptions", "APIResourceList", "APIGroupList",
                                              "APIVersions", "APIGroup"],
}
KEEP_KEYS = {"type", "format", "items", "additionalProperties", "$ref", "required", "properties",
             "x-kubernetes-group-version-kind", "x-kubernetes-patch-merge-key", "x-kubernetes-patch-strategy",
             "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type",
             "x-kubernetes-unions", "x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields",
             "enum"}


def clean(node):
    """Drops descriptions, keeps structure."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "properties":
                out[k] = {pk: clean(pv) for pk, pv in v.items()}
            elif k.startswith("x-kubernetes"):
                out[k] = v
            elif k in KEEP_KEYS:
                out[k] = clean(v)
        return out
    if isinstance(node, list):
        return [clean(v) for v in node]
    return node


def main():
    spec = json.load(open(sys.argv[1]))
    defs = spec["definitions"]
    seen = {}

    def walk(name):
        if name in seen:
            return
        seen[name] = True
        def refs(node):
            if isinstance(node, dict):
                for k, v in node.items():
                    if k == "$ref":
                        walk(v.split("/")[-1])
                    else:
                        refs(v)
            elif isinstance(node, list):
                for v in node:
                    refs(v)
        refs(defs[name])

    for prefix, kinds in ROOT_KINDS.items():
        for kind in kinds:
            walk(prefix + kind)
            if prefix + kind + "List" in defs:
                walk(prefix + kind + "List")
    out = {name: clean(defs[name]) for name in sorted(seen)}
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
