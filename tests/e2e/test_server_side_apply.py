"""Server-side apply with real kubectl: `apply --server-side`, conflicts with other managers, `--force-conflicts`,
managedFields as `--show-managed-fields` shows them, and the raw API's answers."""

import json
import textwrap

import pytest
import yaml

DEPLOYMENT = """\
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: {name}
    spec:
      replicas: {replicas}
      selector:
        matchLabels: {{app: {name}}}
      template:
        metadata:
          labels: {{app: {name}}}
        spec:
          containers:
          - name: app
            image: registry.invalid/app:1.0
    """


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return str(path)


def managers(obj):
    return sorted((e["manager"], e["operation"]) for e in obj["metadata"].get("managedFields", []))


@pytest.mark.parametrize("version", [None, "1.32", "1.33"])
def test_conflict_with_another_manager_and_force(kubectl, ns, tmp_path, version):
    f1 = write(tmp_path, "d1.yaml", DEPLOYMENT.format(name="web", replicas=2))
    kubectl("create", "-f", f1, "-n", ns, version=version)
    f2 = write(tmp_path, "d2.yaml", DEPLOYMENT.format(name="web", replicas=4))
    r = kubectl("apply", "--server-side", "-f", f2, "-n", ns, check=False, version=version)
    assert r.returncode != 0
    assert 'conflict with "kubectl-create"' in r.stderr and ".spec.replicas" in r.stderr, r.stderr
    assert kubectl("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}").stdout == "2"

    r = kubectl("apply", "--server-side", "--force-conflicts", "-f", f2, "-n", ns, version=version)
    assert r.stdout.strip() == "deployment.apps/web serverside-applied"
    obj = json.loads(kubectl("get", "deploy", "web", "-n", ns, "-o", "json", "--show-managed-fields").stdout)
    assert obj["spec"]["replicas"] == 4
    assert ("kubectl", "Apply") in managers(obj), managers(obj)
    applied = next(e for e in obj["metadata"]["managedFields"] if e["manager"] == "kubectl")
    assert "f:replicas" in applied["fieldsV1"]["f:spec"]
    created = next(e for e in obj["metadata"]["managedFields"] if e["manager"] == "kubectl-create")
    assert "f:replicas" not in created["fieldsV1"].get("f:spec", {})


def test_managed_fields_hidden_by_default_and_fields_removed_on_reapply(kubectl, ns, tmp_path):
    cm1 = write(tmp_path, "cm1.yaml", """\
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, labels: {tier: web, team: a}}
        data: {a: "1", b: "2"}
        """)
    assert kubectl("apply", "--server-side", "--field-manager=ops", "-f", cm1, "-n", ns).stdout.strip() \
        == "configmap/settings serverside-applied"
    plain = yaml.safe_load(kubectl("get", "cm", "settings", "-n", ns, "-o", "yaml").stdout)
    assert "managedFields" not in plain["metadata"]
    cm2 = write(tmp_path, "cm2.yaml", """\
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, labels: {tier: web}}
        data: {a: "1"}
        """)
    kubectl("apply", "--server-side", "--field-manager=ops", "-f", cm2, "-n", ns)
    obj = json.loads(kubectl("get", "cm", "settings", "-n", ns, "-o", "json").stdout)
    assert obj["data"] == {"a": "1"}
    assert obj["metadata"]["labels"] == {"tier": "web"}
    # A second manager applying the same value shares the field; no conflict.
    kubectl("apply", "--server-side", "--field-manager=other", "-f", cm2, "-n", ns)
    full = json.loads(kubectl("get", "cm", "settings", "-n", ns, "-o", "json", "--show-managed-fields").stdout)
    assert managers(full) == [("ops", "Apply"), ("other", "Apply")]


def test_raw_apply_errors(api, ns):
    path = f"/api/v1/namespaces/{ns}/configmaps/raw"
    body = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: raw}\ndata: {k: v}\n"
    headers = {"Content-Type": "application/apply-patch+yaml"}
    r = api.request("PATCH", path, data=body, headers=headers)
    assert r.status_code == 400 and "fieldManager" in r.json()["message"], r.text
    r = api.request("PATCH", path + "?fieldManager=t", data=body.replace("kind: ConfigMap", "kind: Secret"), headers=headers)
    assert r.status_code == 400, r.text
    r = api.request("PATCH", path + "?fieldManager=t", data=body, headers=headers)
    assert r.status_code == 201, r.text
    assert r.json()["metadata"]["managedFields"][0]["operation"] == "Apply"
    r = api.request("PATCH", path + "?fieldManager=u", data=body.replace("k: v", "k: w"), headers=headers)
    assert r.status_code == 409 and r.json()["reason"] == "Conflict", r.text
    assert r.json()["details"]["causes"][0]["field"] == ".data.k"
    assert api.get(path).json()["data"] == {"k": "v"}
