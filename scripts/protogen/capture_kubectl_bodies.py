#!/usr/bin/env python3
"""Captures the request bodies kubectl sends for its typed-client commands (the fixtures of
Tests/APIModelTests/ProtobufCapturedBodiesTests.swift).

Starts a recording HTTP server on 127.0.0.1 (every GET answered 404 with a Status, every POST 201 `{}`), points a
throwaway kubeconfig at it (`server: http://127.0.0.1:PORT`, `user: {}`) and runs each command with the given
kubectl binaries. Prints one JSON line per POST: kubectl version, command, path, content type, body as hex.
kubectl 1.32+ sends protobuf; 1.31 sends JSON for the same commands, which is the decoder's expected output.

  python3 scripts/protogen/capture_kubectl_bodies.py /usr/lib/google-cloud-sdk/bin/kubectl.1.32 \\
      /usr/lib/google-cloud-sdk/bin/kubectl.1.31 > /tmp/bodies.jsonl

A developer tool; CI never runs it.
"""
import http.server
import json
import os
import shlex
import subprocess
import sys
import tempfile
import threading

COMMANDS = [
    "create namespace team-a",
    "create deployment web --image=nginx:1.27 --replicas=3 --port=80",
    "create configmap cm1 --from-literal=a=b",
    "create secret generic s1 --from-literal=k=v",
    "create service clusterip svc1 --tcp=80:8080",
    "create serviceaccount sa1",
    "auth can-i create pods -n default",
    "create service nodeport np1 --tcp=80:http --node-port=30080",
    "create service externalname ext1 --external-name=example.com",
    "create deployment multi --image=busybox --image=nginx",
    "create configmap cm2 --from-file={greeting} --from-literal=x=y -n team-a",
    "create secret generic s2 --from-literal=user=admin --from-literal='pass=p@ss w0rd' --type=Opaque",
    "create secret docker-registry reg1 --docker-server=r.io --docker-username=u --docker-password=p",
    "create service loadbalancer lb1 --tcp=443:8443",
    "create service clusterip headless --clusterip=None",
    "auth can-i get /logs",
    "create deployment zero --image=nginx --replicas=0",
]

KUBECONFIG = """apiVersion: v1
kind: Config
clusters:
- name: recorder
  cluster:
    server: http://127.0.0.1:%d
users:
- name: anonymous
  user: {}
contexts:
- name: recorder
  context: {cluster: recorder, user: anonymous}
current-context: recorder
"""


def make_handler(records):
    class Recorder(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _answer(self, code, body):
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            self._answer(404, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound",
                               "code": 404, "message": "not found"})

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            records.append({"path": self.path, "contentType": self.headers.get("Content-Type"), "hex": body.hex()})
            self._answer(201, {})

    return Recorder


def main():
    if len(sys.argv) < 2:
        raise SystemExit("usage: capture_kubectl_bodies.py KUBECTL...")
    records = []
    server = http.server.HTTPServer(("127.0.0.1", 0), make_handler(records))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            kubeconfig = os.path.join(tmp, "kubeconfig")
            with open(kubeconfig, "w") as fh:
                fh.write(KUBECONFIG % server.server_address[1])
            greeting = os.path.join(tmp, "greeting.txt")
            with open(greeting, "w") as fh:
                fh.write("hello\nworld\n")
            for kubectl in sys.argv[1:]:
                for command in COMMANDS:
                    del records[:]
                    args = [kubectl, "--kubeconfig", kubeconfig] + shlex.split(command.format(greeting=greeting))
                    subprocess.run(args, capture_output=True, timeout=60)
                    for record in records:
                        record.update({"kubectl": os.path.basename(kubectl), "command": command})
                        print(json.dumps(record))
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
