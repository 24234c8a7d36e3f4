"""Services and their endpoints on simulated nodes (whose pods get IPs and turn Ready): the Endpoints object and
the EndpointSlices follow the pods a Service selects as they are created, scaled, replaced and deleted; named
target ports resolve through the pods' container ports; headless Services are labelled; Services without a
selector keep the Endpoints their user wrote. One server per module with three simulated nodes (conftest)."""

import json

from conftest import wait_for


def deployment(kc, ns, name, replicas=3, port_name=None):
    port = {"containerPort": 8080, **({"name": port_name} if port_name else {})}
    manifest = {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": ns},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                 "template": {"metadata": {"labels": {"app": name}},
                              "spec": {"containers": [{"name": "web", "image": "registry.invalid/web:1.0",
                                                       "ports": [port]}]}}},
    }
    kc("apply", "-f", "-", input=json.dumps(manifest))


def pod_ips(kc, ns, selector):
    pods = json.loads(kc("get", "pods", "-n", ns, "-l", selector, "-o", "json").stdout)["items"]
    return sorted(p["status"]["podIP"] for p in pods
                  if p.get("status", {}).get("podIP") and "deletionTimestamp" not in p["metadata"]
                  and any(c["type"] == "Ready" and c["status"] == "True" for c in p["status"].get("conditions", [])))


def endpoint_ips(kc, ns, name):
    result = kc("get", "endpoints", name, "-n", ns, "-o", "json", check=False)
    if result.returncode != 0:
        return None
    subsets = json.loads(result.stdout).get("subsets") or []
    return sorted(a["ip"] for s in subsets for a in s.get("addresses", []))


def endpoint_pods(kc, ns, name):
    subsets = json.loads(kc("get", "endpoints", name, "-n", ns, "-o", "json").stdout).get("subsets") or []
    return sorted(a["targetRef"]["name"] for s in subsets for a in s.get("addresses", []))


def slices(kc, ns, name):
    return json.loads(kc("get", "endpointslices", "-n", ns, "-l", f"kubernetes.io/service-name={name}",
                         "-o", "json").stdout)["items"]


def slice_ips(kc, ns, name):
    return sorted(e["addresses"][0] for s in slices(kc, ns, name) for e in s.get("endpoints") or []
                  if e["conditions"]["ready"])


def test_endpoints_follow_the_pods_a_service_selects(kc, space):
    deployment(kc, space, "web")
    wait_for(lambda: len(pod_ips(kc, space, "app=web")) == 3, timeout=20, what="3 ready pods")
    kc("expose", "deployment", "web", "--port=80", "--target-port=8080", "-n", space)
    wait_for(lambda: endpoint_ips(kc, space, "web") == pod_ips(kc, space, "app=web"), timeout=10, what="endpoints")
    wait_for(lambda: slice_ips(kc, space, "web") == pod_ips(kc, space, "app=web"), timeout=10, what="slices")

    endpoints = json.loads(kc("get", "endpoints", "web", "-n", space, "-o", "json").stdout)
    subset = endpoints["subsets"][0]
    assert subset["ports"] == [{"port": 8080, "protocol": "TCP"}]
    assert {a["targetRef"]["kind"] for a in subset["addresses"]} == {"Pod"}
    assert all(a["nodeName"].startswith("sim-node-") for a in subset["addresses"])
    (only,) = slices(kc, space, "web")
    assert only["addressType"] == "IPv4"
    assert only["ports"] == [{"name": "", "port": 8080, "protocol": "TCP"}]
    assert only["metadata"]["labels"]["endpointslice.kubernetes.io/managed-by"] == "endpointslice-controller.k8s.io"
    owner = only["metadata"]["ownerReferences"][0]
    assert (owner["kind"], owner["name"], owner["controller"]) == ("Service", "web", True)

    _, rows = table(kc("get", "endpoints", "web", "-n", space))
    assert rows[0][0] == "web" and rows[0][1].count(":8080") == 3, rows

    kc("scale", "deployment", "web", "--replicas=1", "-n", space)
    wait_for(lambda: len(endpoint_ips(kc, space, "web") or []) == 1, timeout=10, what="endpoints after scale-down")
    wait_for(lambda: len(slice_ips(kc, space, "web")) == 1, timeout=10, what="slices after scale-down")

    pod = json.loads(kc("get", "pods", "-n", space, "-l", "app=web", "-o", "json").stdout)["items"][0]["metadata"]["name"]
    assert endpoint_pods(kc, space, "web") == [pod]
    kc("delete", "pod", pod, "-n", space, "--wait=false")
    # (The replacement may get the same IP back: compare the pods the addresses stand for.)
    wait_for(lambda: (pods := endpoint_pods(kc, space, "web")) and len(pods) == 1 and pods[0] != pod, timeout=20,
             what="the replacement pod in the endpoints")

    kc("delete", "service", "web", "-n", space)
    wait_for(lambda: endpoint_ips(kc, space, "web") is None and not slices(kc, space, "web"), timeout=10,
             what="endpoints and slices gone with the service")


def test_named_target_ports_resolve_through_container_ports(kc, space):
    deployment(kc, space, "named", replicas=2, port_name="http")
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "named", "namespace": space},
               "spec": {"selector": {"app": "named"}, "ports": [{"name": "web", "port": 80, "targetPort": "http"}]}}
    kc("apply", "-f", "-", input=json.dumps(service))
    wait_for(lambda: len(endpoint_ips(kc, space, "named") or []) == 2, timeout=20, what="2 endpoints")
    subset = json.loads(kc("get", "endpoints", "named", "-n", space, "-o", "json").stdout)["subsets"][0]
    assert subset["ports"] == [{"name": "web", "port": 8080, "protocol": "TCP"}]


def test_headless_services_and_services_without_selector(kc, space):
    deployment(kc, space, "db", replicas=2)
    kc("create", "service", "clusterip", "db", "--clusterip=None", "--tcp=5432:8080", "-n", space)
    # `kubectl create service` selects app=<name>.
    wait_for(lambda: len(endpoint_ips(kc, space, "db") or []) == 2, timeout=20, what="headless endpoints")
    labels = json.loads(kc("get", "endpoints", "db", "-n", space, "-o", "json").stdout)["metadata"]["labels"]
    assert labels["service.kubernetes.io/headless"] == ""

    manual = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "external", "namespace": space},
              "spec": {"ports": [{"port": 80}]}}
    endpoints = {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "external", "namespace": space},
                 "subsets": [{"addresses": [{"ip": "192.0.2.10"}], "ports": [{"port": 80}]}]}
    kc("apply", "-f", "-", input=json.dumps(manual))
    kc("apply", "-f", "-", input=json.dumps(endpoints))
    deployment(kc, space, "other", replicas=1)
    wait_for(lambda: len(endpoint_ips(kc, space, "db") or []) == 2, timeout=5, what="still 2")
    assert endpoint_ips(kc, space, "external") == ["192.0.2.10"]
    assert not slices(kc, space, "external")


def table(result):
    lines = result.stdout.strip().splitlines()
    return lines[0].split(), [line.split() for line in lines[1:]]


def test_the_kubernetes_service_points_at_the_api_server(kc, cluster):
    service = json.loads(kc("get", "service", "kubernetes", "-n", "default", "-o", "json").stdout)
    assert service["spec"]["clusterIP"] == "10.43.0.1"
    assert service["spec"]["ports"] == [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": cluster.port}]
    endpoints = json.loads(kc("get", "endpoints", "kubernetes", "-n", "default", "-o", "json").stdout)
    assert endpoints["subsets"][0]["ports"] == [{"name": "https", "port": cluster.port, "protocol": "TCP"}]
    assert endpoints["subsets"][0]["addresses"][0]["ip"] == "127.0.0.1"
