"""Errors as kubectl prints them, and bad input over raw HTTPS: every failure is a metav1.Status with the
right code and reason, and a rejected write leaves the stored objects untouched."""

import json
import textwrap

import pytest
import requests

from conftest import close_session, pod_manifest


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return str(path)


POD_YAML = """\
    apiVersion: v1
    kind: Pod
    metadata:
      name: {name}
    spec:
      containers:
      - name: main
        image: nginx:1.25
    """


def assert_status(r, code, reason, message=None, message_prefix=None):
    assert r.status_code == code, f"{r.status_code} {r.text}"
    assert r.headers.get("Content-Type", "").startswith("application/json"), r.headers
    body = r.json()
    assert body["kind"] == "Status" and body["apiVersion"] == "v1", body
    assert body["status"] == "Failure", body
    assert body["code"] == code, body
    assert body["reason"] == reason, body
    if message is not None:
        assert body["message"] == message, body
    if message_prefix is not None:
        assert body["message"].startswith(message_prefix), body
    return body


# --------------------------------------------------------------------------------------------
# kubectl error lines
# --------------------------------------------------------------------------------------------


def test_get_missing_object(kubectl, ns):
    r = kubectl("get", "pod", "nope", "-n", ns, check=False)
    assert r.returncode == 1
    assert r.stdout == ""
    assert r.stderr.strip() == 'Error from server (NotFound): pods "nope" not found'


def test_delete_and_describe_missing_object(kubectl, ns):
    r = kubectl("delete", "configmap", "nope", "-n", ns, check=False)
    assert r.returncode == 1
    assert r.stderr.strip() == 'Error from server (NotFound): configmaps "nope" not found'
    r = kubectl("describe", "deployment", "nope", "-n", ns, check=False)
    assert r.returncode == 1
    assert r.stderr.strip() == 'Error from server (NotFound): deployments.apps "nope" not found'


def test_unknown_resource_type(kubectl):
    r = kubectl("get", "widgets", check=False)
    assert r.returncode == 1
    assert r.stderr.strip() == 'error: the server doesn\'t have a resource type "widgets"'


def test_create_duplicate(kubectl, ns, tmp_path):
    f = write(tmp_path, "p1.yaml", POD_YAML.format(name="p1"))
    kubectl("create", "-f", f, "-n", ns)
    r = kubectl("create", "-f", f, "-n", ns, check=False)
    assert r.returncode == 1
    assert r.stderr.strip() == f'Error from server (AlreadyExists): error when creating "{f}": pods "p1" already exists'


def test_invalid_name(kubectl, ns, tmp_path, api):
    f = write(tmp_path, "bad.yaml", POD_YAML.format(name="Bad_Name"))
    r = kubectl("create", "-f", f, "-n", ns, check=False)
    assert r.returncode == 1
    assert r.stderr.strip() == (
        'The Pod "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain '
        "must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
        "character (e.g. 'example.com', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    )
    # The raw answer: 422 Invalid with a field cause.
    body = assert_status(api.post(f"/api/v1/namespaces/{ns}/pods", pod_manifest("Bad_Name")), 422, "Invalid")
    assert body["details"]["name"] == "Bad_Name" and body["details"]["kind"] == "Pod"
    assert body["details"]["causes"][0]["field"] == "metadata.name"
    assert body["details"]["causes"][0]["reason"] == "FieldValueInvalid"


def test_missing_required_field(kubectl, ns, tmp_path):
    f = write(tmp_path, "nocontainers.yaml", """\
        apiVersion: v1
        kind: Pod
        metadata: {name: empty}
        spec: {}
        """)
    r = kubectl("create", "-f", f, "-n", ns, check=False)
    assert r.returncode == 1
    assert r.stderr.strip() == 'The Pod "empty" is invalid: spec.containers: Required value'


def test_unknown_field_strict_and_validate_false(kubectl, ns, tmp_path):
    f = write(tmp_path, "unknown.yaml", """\
        apiVersion: v1
        kind: Pod
        metadata: {name: unk}
        spec:
          containerz: []
          containers: [{name: main, image: nginx:1.25}]
        """)
    r = kubectl("create", "-f", f, "-n", ns, check=False)
    assert r.returncode == 1
    assert 'unknown field "spec.containerz"' in r.stderr, r
    assert r.stderr.strip().startswith(f'Error from server (BadRequest): error when creating "{f}": '), r
    assert kubectl("get", "pod", "unk", "-n", ns, check=False).returncode == 1  # nothing was stored

    r = kubectl("create", "-f", f, "-n", ns, "--validate=warn")
    assert r.stdout.strip() == "pod/unk created"
    assert 'Warning: unknown field "spec.containerz"' in r.stderr, r
    kubectl("delete", "pod", "unk", "-n", ns)

    r = kubectl("create", "-f", f, "-n", ns, "--validate=false")
    assert r.stdout.strip() == "pod/unk created"
    assert r.stderr == ""


def test_create_in_missing_namespace(kubectl, tmp_path):
    f = write(tmp_path, "p.yaml", POD_YAML.format(name="p1"))
    r = kubectl("create", "-f", f, "-n", "nope", check=False)
    assert r.returncode == 1
    assert r.stderr.strip() == f'Error from server (NotFound): error when creating "{f}": namespaces "nope" not found'


def test_replace_with_stale_resource_version(kubectl, ns, tmp_path):
    f = write(tmp_path, "p.yaml", POD_YAML.format(name="web-1"))
    kubectl("create", "-f", f, "-n", ns)
    stale = json.loads(kubectl("get", "pod", "web-1", "-n", ns, "-o", "json").stdout)
    kubectl("label", "pod", "web-1", "a=b", "-n", ns)  # moves the resourceVersion on
    stale["metadata"]["labels"] = {"stale": "true"}
    sf = tmp_path / "stale.json"
    sf.write_text(json.dumps(stale))
    r = kubectl("replace", "-f", str(sf), check=False)
    assert r.returncode == 1
    assert r.stderr.strip() == (
        f'Error from server (Conflict): error when replacing "{sf}": Operation cannot be fulfilled on pods "web-1": '
        "the object has been modified; please apply your changes to the latest version and try again"
    )
    labels = json.loads(kubectl("get", "pod", "web-1", "-n", ns, "-o", "json").stdout)["metadata"]["labels"]
    assert labels == {"a": "b"}


def test_dry_run_create_of_existing_object(kubectl, ns, tmp_path):
    f = write(tmp_path, "p.yaml", POD_YAML.format(name="p1"))
    kubectl("create", "-f", f, "-n", ns)
    r = kubectl("create", "-f", f, "-n", ns, "--dry-run=server", check=False)
    assert r.returncode == 1
    assert r.stderr.strip() == f'Error from server (AlreadyExists): error when creating "{f}": pods "p1" already exists'


def test_dry_run_create_stores_nothing(kubectl, ns, tmp_path):
    f = write(tmp_path, "p.yaml", POD_YAML.format(name="dry"))
    assert kubectl("create", "-f", f, "-n", ns, "--dry-run=server").stdout.strip() == "pod/dry created (server dry run)"
    assert kubectl("get", "pod", "dry", "-n", ns, check=False).returncode == 1


# --------------------------------------------------------------------------------------------
# Raw HTTPS bad input
# --------------------------------------------------------------------------------------------


@pytest.fixture
def stored(api, ns):
    """A few objects whose stored state must not change when bad writes are rejected."""
    paths = []
    for i in range(3):
        body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"keep-{i}", "labels": {"i": str(i)}},
                "data": {"value": f"v{i}"}}
        r = api.post(f"/api/v1/namespaces/{ns}/configmaps", body)
        assert r.status_code == 201, r.text
        paths.append(f"/api/v1/namespaces/{ns}/configmaps/keep-{i}")
    r = api.post(f"/api/v1/namespaces/{ns}/pods", pod_manifest("keep-pod"))
    assert r.status_code == 201, r.text
    paths.append(f"/api/v1/namespaces/{ns}/pods/keep-pod")

    def snapshot():
        out = {}
        for p in paths:
            r = api.get(p)
            assert r.status_code == 200, f"{p}: {r.status_code} {r.text}"
            out[p] = r.json()
        listing = api.get(f"/api/v1/namespaces/{ns}/configmaps").json()
        out["names"] = sorted(i["metadata"]["name"] for i in listing["items"])
        return out

    before = snapshot()

    def check_intact():
        assert snapshot() == before

    return check_intact


def cm_path(ns, name=""):
    return f"/api/v1/namespaces/{ns}/configmaps" + (f"/{name}" if name else "")


def test_malformed_json(api, ns, stored):
    r = api.post(cm_path(ns), data=b'{"metadata":{"name":"broken"', headers={"Content-Type": "application/json"})
    assert_status(r, 400, "BadRequest")
    r = api.put(cm_path(ns, "keep-0"), data=b'{"metadata":', headers={"Content-Type": "application/json"})
    assert_status(r, 400, "BadRequest")
    r = api.request("PATCH", cm_path(ns, "keep-1"), data=b"{not json",
                    headers={"Content-Type": "application/merge-patch+json"})
    assert_status(r, 400, "BadRequest")
    stored()


def test_malformed_json_via_kubectl_raw(kubectl, ns, stored):
    r = kubectl("create", "--raw", cm_path(ns), "-f", "-", input='{"metadata":{"name":"x"', check=False)
    assert r.returncode == 1
    assert r.stderr.startswith("Error from server (BadRequest): "), r
    stored()


def test_body_over_3_mib(api, ns, stored):
    big = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big"},
           "data": {"k": "x" * (3 * 1024 * 1024 + 1024)}}
    r = api.post(cm_path(ns), big)
    assert_status(r, 413, "RequestEntityTooLarge")
    assert api.get(cm_path(ns, "big")).status_code == 404
    stored()


def test_body_over_3_mib_is_rejected_and_harmless(api, ns, stored):
    # Whatever the status, the large write is refused, nothing is stored and the server stays healthy.
    big = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big"},
           "data": {"k": "x" * (3 * 1024 * 1024 + 1024)}}
    r = api.post(cm_path(ns), big)
    assert r.status_code >= 400
    assert r.json()["kind"] == "Status"
    r = api.put(cm_path(ns, "keep-0"), {**big, "metadata": {"name": "keep-0"}})
    assert r.status_code >= 400
    assert api.get(cm_path(ns, "big")).status_code == 404
    stored()


def test_wrong_field_types(api, ns, stored):
    r = api.post(cm_path(ns), {"metadata": {"name": "wt"}, "data": {"k": 5}})
    assert_status(r, 400, "BadRequest", message_prefix='ConfigMap in version "v1" cannot be handled as a ConfigMap')
    r = api.post(f"/api/v1/namespaces/{ns}/pods", {"metadata": {"name": "wt"}, "spec": {"containers": "nope"}})
    assert_status(r, 400, "BadRequest", message_prefix='Pod in version "v1" cannot be handled as a Pod')
    r = api.post(cm_path(ns), {"metadata": {"name": ["list"]}})
    assert_status(r, 400, "BadRequest")
    # The same through PUT and a strategic merge patch on an existing object.
    r = api.put(cm_path(ns, "keep-0"), {"metadata": {"name": "keep-0"}, "data": {"value": {"nested": True}}})
    assert_status(r, 400, "BadRequest")
    r = api.patch(cm_path(ns, "keep-1"), {"data": {"value": 7}}, content_type="application/strategic-merge-patch+json")
    assert r.status_code in (400, 422), r.text
    assert r.json()["kind"] == "Status"
    stored()


def test_stale_resource_version_put(api, ns, stored):
    obj = api.get(cm_path(ns, "keep-2")).json()
    obj["metadata"]["resourceVersion"] = str(int(obj["metadata"]["resourceVersion"]) - 1)
    obj["data"] = {"value": "overwritten"}
    body = assert_status(api.put(cm_path(ns, "keep-2"), obj), 409, "Conflict",
                         message='Operation cannot be fulfilled on configmaps "keep-2": the object has been modified; '
                                 "please apply your changes to the latest version and try again")
    assert body["details"]["name"] == "keep-2" and body["details"]["kind"] == "configmaps"
    stored()


def test_other_rejected_writes(api, ns, stored):
    assert_status(api.post(cm_path(ns), {"metadata": {"name": "keep-0"}}), 409, "AlreadyExists",
                  message='configmaps "keep-0" already exists')
    assert_status(api.put(cm_path(ns, "keep-0"), {"metadata": {"name": "other"}}), 400, "BadRequest",
                  message="the name of the object (other) does not match the name on the URL (keep-0)")
    assert_status(api.post(cm_path(ns), {"metadata": {"name": "x", "namespace": "kube-system"}}), 400, "BadRequest")
    assert_status(api.post(cm_path(ns), {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "kind"}}),
                  400, "BadRequest")
    assert_status(api.post(cm_path(ns), {"metadata": {"name": "lbl", "labels": {"a": "-bad-"}}}), 422, "Invalid")
    assert_status(api.post(cm_path(ns), data=b"k=v", headers={"Content-Type": "text/plain"}), 415,
                  "UnsupportedMediaType")
    assert_status(api.post(cm_path(ns, "keep-0"), {"metadata": {"name": "keep-0"}}), 405, "MethodNotAllowed")
    assert_status(api.delete(cm_path(ns, "keep-0"), json={"preconditions": {"uid": "00000000-0000-0000-0000-000000000000"}}),
                  409, "Conflict")
    assert_status(api.delete(cm_path(ns, "keep-0"), json={"preconditions": {"resourceVersion": "1"}}), 409, "Conflict")
    assert_status(api.get(cm_path(ns) + "?labelSelector=a%3D%3D%3Db"), 400, "BadRequest")
    assert_status(api.get(cm_path(ns) + "?fieldSelector=spec.nothing%3Db"), 400, "BadRequest")
    stored()


def test_unknown_paths(api):
    for path in ("/api/v1/nonsense", "/apis/example.com/v1/widgets", "/api/v2/pods"):
        assert_status(api.get(path), 404, "NotFound", message="the server could not find the requested resource")


def test_requests_without_credentials(skiff, api, ns, stored):
    s = requests.Session()
    s.trust_env = False
    s.verify = str(skiff.ca_file)
    # Read, list, write and watch: all 401 Unauthorized Status.
    for method, path, body in [
        ("GET", "/api/v1/namespaces", None),
        ("GET", cm_path(ns, "keep-0"), None),
        ("POST", cm_path(ns), {"metadata": {"name": "anon"}}),
        ("DELETE", cm_path(ns, "keep-0"), None),
        ("GET", cm_path(ns) + "?watch=true&timeoutSeconds=1", None),
    ]:
        r = s.request(method, skiff.url + path, json=body, timeout=10)
        assert_status(r, 401, "Unauthorized")
    # A bearer token that does not exist is no better.
    r = s.get(skiff.url + "/api/v1/namespaces", headers={"Authorization": "Bearer nope"}, timeout=10)
    assert_status(r, 401, "Unauthorized")
    close_session(s)
    stored()


def test_client_certificate_from_another_ca_is_rejected(skiff, tmp_path):
    """A certificate signed by some other CA is not a credential (the TLS layer or authn must refuse it)."""
    pytest.importorskip("cryptography")
    import datetime
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "admin"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "system:masters")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=1))
            .not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256()))
    (tmp_path / "evil.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "evil.key").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                          serialization.NoEncryption()))
    s = requests.Session()
    s.trust_env = False
    try:
        r = s.get(skiff.url + "/api/v1/namespaces", cert=(str(tmp_path / "evil.crt"), str(tmp_path / "evil.key")),
                  verify=str(skiff.ca_file), timeout=10)
    except requests.exceptions.SSLError:
        return  # refused during the handshake: fine
    finally:
        close_session(s)
    assert_status(r, 401, "Unauthorized")


def test_public_endpoints_without_credentials(skiff):
    s = requests.Session()
    s.trust_env = False
    s.verify = str(skiff.ca_file)
    for path in ("/readyz", "/livez", "/healthz"):
        r = s.get(skiff.url + path, timeout=10)
        assert r.status_code == 200 and r.text == "ok", (path, r.status_code, r.text)
    r = s.get(skiff.url + "/version", timeout=10)
    assert r.status_code == 200 and r.json()["minor"] == "32"
    close_session(s)
