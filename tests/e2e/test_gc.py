"""Ownership and cascading deletion: `kubectl delete --cascade=background|foreground|orphan`."""
import json

import pytest

from conftest import wait_for


def owned_replicaset(name, owner_name, owner_uid):
    return {
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": name, "labels": {"app": owner_name},
                     "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": owner_name,
                                          "uid": owner_uid, "controller": True, "blockOwnerDeletion": True}]},
        "spec": {"replicas": 0, "selector": {"matchLabels": {"app": owner_name}},
                 "template": {"metadata": {"labels": {"app": owner_name}},
                              "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}},
    }


def owned_pod(name, owner_name, owner_uid):
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                                         "name": owner_name, "uid": owner_uid}]},
        "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]},
    }


def make_chain(kubectl, ns, name):
    """deployment <- replicaset <- pod, linked by ownerReferences."""
    kubectl("-n", ns, "create", "deployment", name, "--image=nginx:1.27")
    deploy_uid = kubectl("-n", ns, "get", "deploy", name, "-o", "jsonpath={.metadata.uid}").stdout
    kubectl("-n", ns, "create", "-f", "-", input=json.dumps(owned_replicaset(name + "-rs", name, deploy_uid)))
    rs_uid = kubectl("-n", ns, "get", "rs", name + "-rs", "-o", "jsonpath={.metadata.uid}").stdout
    kubectl("-n", ns, "create", "-f", "-", input=json.dumps(owned_pod(name + "-pod", name + "-rs", rs_uid)))


def gone(kubectl, ns, kind, name):
    return kubectl("-n", ns, "get", kind, name, check=False).returncode != 0


@pytest.mark.parametrize("cascade", ["background", "foreground"])
def test_cascading_delete_removes_the_chain(kubectl, ns, cascade):
    make_chain(kubectl, ns, "web")
    r = kubectl("-n", ns, "delete", "deployment", "web", f"--cascade={cascade}")
    assert 'deployment.apps "web" deleted' in r.stdout
    wait_for(lambda: gone(kubectl, ns, "rs", "web-rs") and gone(kubectl, ns, "pod", "web-pod"),
             what="the replicaset and its pod to be collected")


def test_orphan_delete_keeps_dependents_without_the_reference(kubectl, ns):
    make_chain(kubectl, ns, "api")
    r = kubectl("-n", ns, "delete", "deployment", "api", "--cascade=orphan")
    assert 'deployment.apps "api" deleted' in r.stdout
    assert gone(kubectl, ns, "deploy", "api")
    wait_for(lambda: kubectl("-n", ns, "get", "rs", "api-rs", "-o", "jsonpath={.metadata.ownerReferences}").stdout == "",
             what="the replicaset to lose its owner reference")
    # The pod still belongs to the (kept) replicaset.
    assert kubectl("-n", ns, "get", "pod", "api-pod", "-o", "jsonpath={.metadata.ownerReferences[0].name}").stdout == "api-rs"


def test_foreground_waits_for_dependents_with_finalizers(kubectl, ns):
    make_chain(kubectl, ns, "db")
    kubectl("-n", ns, "patch", "rs", "db-rs", "--type=merge", "-p", '{"metadata":{"finalizers":["example.com/hold"]}}')
    kubectl("-n", ns, "delete", "deployment", "db", "--cascade=foreground", "--wait=false")
    wait_for(lambda: kubectl("-n", ns, "get", "rs", "db-rs", "-o", "jsonpath={.metadata.deletionTimestamp}").stdout != "",
             what="the replicaset to be marked for deletion")
    deploy = json.loads(kubectl("-n", ns, "get", "deploy", "db", "-o", "json").stdout)
    assert "foregroundDeletion" in deploy["metadata"]["finalizers"]
    assert deploy["metadata"].get("deletionTimestamp")
    kubectl("-n", ns, "patch", "rs", "db-rs", "--type=merge", "-p", '{"metadata":{"finalizers":null}}')
    wait_for(lambda: gone(kubectl, ns, "deploy", "db") and gone(kubectl, ns, "rs", "db-rs"),
             what="the deployment to go once its replicaset is gone")
