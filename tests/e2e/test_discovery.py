"""Discovery: /version, api-resources (aggregated v2 and v2beta1, legacy), explain (OpenAPI v3)."""

import re

import pytest

from conftest import columns

EXPECTED = {
    # name: (shortnames, apiversion, namespaced, kind)
    "pods": ("po", "v1", "true", "Pod"),
    "deployments": ("deploy", "apps/v1", "true", "Deployment"),
    "leases": ("", "coordination.k8s.io/v1", "true", "Lease"),
    "endpointslices": ("", "discovery.k8s.io/v1", "true", "EndpointSlice"),
    "namespaces": ("ns", "v1", "false", "Namespace"),
    "configmaps": ("cm", "v1", "true", "ConfigMap"),
    "services": ("svc", "v1", "true", "Service"),
}


def test_version_reports_1_32(kubectl):
    r = kubectl("version")
    m = re.search(r"^Server Version: (v\S+)$", r.stdout, re.M)
    assert m, r
    assert m.group(1).startswith("v1.32."), r


def test_version_json(kubectl):
    import json
    r = kubectl("version", "-o", "json")
    server = json.loads(r.stdout)["serverVersion"]
    assert server["major"] == "1"
    assert server["minor"] == "32"
    assert server["gitVersion"].startswith("v1.32.")


def parse_api_resources(stdout: str) -> dict:
    lines = [l for l in stdout.splitlines() if l.strip()]
    assert columns(lines[0]) == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"], lines[0]
    # Column positions from the header, as kubectl left-aligns every column.
    header = lines[0]
    starts = [header.index(c) for c in ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]]
    rows = {}
    for line in lines[1:]:
        cells = [line[starts[i]:(starts[i + 1] if i + 1 < len(starts) else None)].strip() for i in range(len(starts))]
        rows.setdefault(cells[0], []).append(tuple(cells[1:]))
    return rows


@pytest.mark.parametrize("version", [None, "1.27", "1.33"], ids=["dispatcher-1.32", "1.27", "1.33"])
def test_api_resources(kubectl, skiff_root, version):
    cache = skiff_root / f"discovery-cache-{version or 'default'}"
    r = kubectl("api-resources", "-v=6", version=version, cache_dir=cache)
    rows = parse_api_resources(r.stdout)
    for name, expected in EXPECTED.items():
        assert name in rows, f"{name} missing from api-resources:\n{r.stdout}"
        assert expected in rows[name], f"{name}: {rows[name]} != {expected}"
    # Aggregated discovery (v2beta1 for 1.27, v2 for the others) answers in two requests: /api and /apis.
    # A server that fell back to legacy discovery would be asked for /api/v1 and /apis/<group>/<version>.
    gets = re.findall(r"GET https://[^/]+(/\S*)", r.stderr) + re.findall(r'verb="GET" url="https://[^/]+(/[^"]*)"', r.stderr)
    paths = [g.split("?")[0] for g in gets]
    assert "/api" in paths and "/apis" in paths, r.stderr
    assert "/api/v1" not in paths, f"kubectl {version} fell back to legacy discovery: {paths}"


def test_api_resources_shortnames_resolve(kubectl, ns):
    # Short names from discovery are usable as resource names.
    for short in ("po", "deploy", "cm", "svc"):
        r = kubectl("get", short, "-n", ns)
        assert r.returncode == 0
        assert f"No resources found in {ns} namespace." in r.stderr


def test_api_resources_wide_verbs(kubectl):
    r = kubectl("api-resources", "-o", "wide")
    lines = r.lines()
    assert "VERBS" in lines[0]
    pods = next(l for l in lines if l.startswith("pods "))
    for verb in ("create", "delete", "get", "list", "patch", "update", "watch"):
        assert verb in pods, pods


def test_api_versions(kubectl):
    r = kubectl("api-versions")
    versions = set(r.lines())
    for gv in ("v1", "apps/v1", "coordination.k8s.io/v1", "discovery.k8s.io/v1"):
        assert gv in versions, r.stdout


def test_explain_pod_spec_containers(kubectl):
    r = kubectl("explain", "pod.spec.containers")
    assert r.returncode == 0
    assert re.search(r"^KIND:\s+Pod$", r.stdout, re.M), r
    assert re.search(r"^VERSION:\s+v1$", r.stdout, re.M), r
    assert re.search(r"^FIELD: containers <\[\]Container>", r.stdout, re.M), r
    assert re.search(r"^\s+image\s+<string>", r.stdout, re.M), r
    assert re.search(r"^\s+name\s+<string> -required-", r.stdout, re.M), r


def test_explain_deployment(kubectl):
    r = kubectl("explain", "deployment.spec.replicas")
    assert re.search(r"^GROUP:\s+apps$", r.stdout, re.M), r
    assert re.search(r"^FIELD: replicas <integer>", r.stdout, re.M), r


@pytest.mark.parametrize("field", [
    "namespace.status.phase", "pod.spec.containers.resources.limits", "node.spec.taints.effect",
    "service.spec.ports.targetPort", "endpoints.subsets.addresses.ip", "event.involvedObject.uid",
    "configmap.data", "secret.type", "serviceaccount.secrets", "replicationcontroller.spec.template.spec",
    "deployment.spec.strategy.rollingUpdate.maxSurge", "replicaset.spec.selector.matchExpressions",
    "daemonset.spec.updateStrategy.rollingUpdate", "statefulset.spec.updateStrategy.rollingUpdate.partition",
    "controllerrevision.revision", "lease.spec.renewTime", "endpointslice.endpoints.conditions.ready",
])
def test_explain_every_served_type(kubectl, field):
    r = kubectl("explain", field)
    assert r.returncode == 0 and "FIELD:" in r.stdout and "DESCRIPTION:" in r.stdout, r
