"""`kubectl auth can-i`: a SelfSubjectAccessReview (protobuf from kubectl 1.32 on, JSON before)."""
import pytest


@pytest.mark.parametrize("version", ["1.31", "1.32", "1.33"])
def test_auth_can_i(kubectl, version):
    r = kubectl("auth", "can-i", "create", "pods", version=version)
    assert r.stdout.strip() == "yes"
    r = kubectl("auth", "can-i", "delete", "deployments.apps", "-n", "kube-system", version=version)
    assert r.stdout.strip() == "yes"
    r = kubectl("auth", "can-i", "get", "/healthz", version=version)
    assert r.stdout.strip() == "yes"


def test_access_review_is_create_only(kubectl):
    r = kubectl("get", "--raw", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", check=False)
    assert r.returncode != 0
    assert "MethodNotAllowed" in r.stderr
