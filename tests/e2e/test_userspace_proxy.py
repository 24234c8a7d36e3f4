"""Services without nftables: `--proxy-mode userspace` (issue 7's fallback) on a real node.

Network safety: the server, its agent, the pods and kubectl run inside a network namespace of this module's own
(no route out), deleted at the end; the image comes from a file. The node's guard in this mode is routes and
forwarding (RoutingGuard): the test checks that forwarding from the bridge is off and no nftables table exists.
"""
import json

import pytest

from conftest import unique, wait_for
from test_real_pods import (apply, busybox, hostname_server, network_namespace, pod_manifest, run, running_node,
                            test_image, wait_running)  # noqa: F401 (test_image is a fixture)


@pytest.fixture(scope="module")
def userspace_node(tmp_path_factory, test_image, skiff_binary):
    with network_namespace("-usp") as netns, running_node(tmp_path_factory.mktemp("userspace"), netns, test_image,
                                                          extra_args=("--proxy-mode", "userspace")) as server:
        yield server


def test_cluster_ip_and_node_port_through_the_userspace_proxy(userspace_node):
    node = userspace_node
    kc = node.kubectl_runner(node.root / "kubectl-cache")
    ns = unique("usp")
    kc("create", "namespace", ns)
    apply(kc, {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": ns},
               "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                        "template": {"metadata": {"labels": {"app": "web"}},
                                     "spec": {"terminationGracePeriodSeconds": 1, "containers": [hostname_server()]}}}})
    apply(kc, {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": ns},
               "spec": {"type": "NodePort", "selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": "http"}]}})
    service = json.loads(kc("get", "service", "web", "-n", ns, "-o", "json").stdout)
    cluster_ip, node_port = service["spec"]["clusterIP"], service["spec"]["ports"][0]["nodePort"]

    def from_node(url: str) -> set[str]:
        return {run(*node.wrapper, "curl", "-s", "--max-time", "2", url, check=False).stdout.strip() for _ in range(12)}
    names = wait_for(lambda: a if len(a := from_node(f"http://{cluster_ip}/")) == 2 and "" not in a else None,
                     timeout=60, interval=0.5, what="both pods answering through the cluster IP from the node")
    assert from_node(f"http://127.0.0.1:{node_port}/") <= names

    apply(kc, pod_manifest("client", ns, [busybox("main", "exec sleep 3600")]))
    wait_running(kc, "client", ns)
    answers = kc("exec", "client", "-n", ns, "--", "sh", "-c",
                 f"for i in 1 2 3 4 5 6 7 8; do timeout -s KILL 3 wget -qO- http://web/ || echo failed; done").stdout
    assert set(answers.split()) == names, answers

    # The guard of this mode: no nftables table of ours, and nothing of a pod's is forwarded.
    assert "skiff" not in run(*node.wrapper, "nft", "list", "tables", check=False).stdout
    assert run(*node.wrapper, "sysctl", "-n", "net.ipv4.conf.skiff0.forwarding").stdout.strip() == "0"

    kc("scale", "deployment", "web", "-n", ns, "--replicas", "1")
    wait_for(lambda: len(from_node(f"http://{cluster_ip}/")) == 1, timeout=30, interval=0.5,
             what="the removed endpoint out of the userspace proxy")
