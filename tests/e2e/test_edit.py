"""`kubectl edit` (through KUBE_EDITOR), `set image` and `annotate` round trips."""
import json
import stat
import subprocess


def test_edit_with_an_editor_script(kubectl, ns, tmp_path):
    kubectl("-n", ns, "create", "deployment", "web", "--image=nginx:1.27", "--replicas=2")
    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\nsed -i 's/replicas: 2/replicas: 5/' \"$1\"\n")
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    cmd = kubectl.command("-n", ns, "edit", "deployment", "web")
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60,
                          env=dict(kubectl.env(), KUBE_EDITOR=str(editor)))
    assert proc.returncode == 0, proc.stderr
    assert "deployment.apps/web edited" in proc.stdout
    assert kubectl("-n", ns, "get", "deploy", "web", "-o", "jsonpath={.spec.replicas}").stdout == "5"


def test_set_image_and_annotate(kubectl, ns):
    kubectl("-n", ns, "create", "deployment", "api", "--image=nginx:1.25")
    gen = int(kubectl("-n", ns, "get", "deploy", "api", "-o", "jsonpath={.metadata.generation}").stdout)
    r = kubectl("-n", ns, "set", "image", "deployment/api", "nginx=nginx:1.27")
    assert "deployment.apps/api image updated" in r.stdout
    deploy = json.loads(kubectl("-n", ns, "get", "deploy", "api", "-o", "json").stdout)
    assert deploy["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"
    assert deploy["metadata"]["generation"] == gen + 1
    r = kubectl("-n", ns, "annotate", "deployment", "api", "team=blue")
    assert "deployment.apps/api annotated" in r.stdout
    assert kubectl("-n", ns, "get", "deploy", "api", "-o", "jsonpath={.metadata.annotations.team}").stdout == "blue"
    # An annotation change is metadata only: no new generation.
    assert int(kubectl("-n", ns, "get", "deploy", "api", "-o", "jsonpath={.metadata.generation}").stdout) == gen + 1
