#!/usr/bin/env bash
# Builds a small busybox test image, offline and without docker, as both an oci-archive and a docker-archive:
#   OUTDIR/busybox-oci.tar     OCI layout (oci-layout, index.json, blobs/sha256/…), gzip-compressed layer
#   OUTDIR/busybox-docker.tar  `docker save` format (manifest.json, <config-hex>.json, <diffid-hex>/layer.tar)
# The rootfs is /bin/busybox (from Debian's busybox-static) with symlinks for sh, sleep, echo, cat, ls, wget, nc,
# httpd, id and env, plus /tmp; the config runs `sh` with PATH set. The output is reproducible (fixed owners and
# times). Usage: scripts/build-test-image.sh OUTDIR [REFERENCE]   (default REFERENCE: skiff.test/busybox:1.0)
set -euo pipefail

outdir=${1:?usage: $0 OUTDIR [REFERENCE]}
reference=${2:-skiff.test/busybox:1.0}
busybox=${BUSYBOX:-/usr/bin/busybox}
[ -x "$busybox" ] || busybox=/bin/busybox
[ -x "$busybox" ] || { echo "busybox not found: apt-get install busybox-static" >&2; exit 1; }
case "$reference" in
    *:latest|*@*) echo "use an explicit tag other than latest: $reference" >&2; exit 1 ;;
    *:*) ;;
    *) echo "the reference needs a tag: $reference" >&2; exit 1 ;;
esac
mkdir -p "$outdir"

exec python3 - "$outdir" "$reference" "$busybox" <<'PYTHON'
import gzip, hashlib, io, json, os, platform, sys, tarfile

outdir, reference, busybox = sys.argv[1:4]
tag = reference.rsplit(":", 1)[1]
architecture = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
applets = ["sh", "sleep", "echo", "cat", "ls", "wget", "nc", "httpd", "id", "env"]


def info(name, kind=tarfile.REGTYPE, mode=0o755, size=0, link=""):
    member = tarfile.TarInfo(name)
    member.type, member.mode, member.size, member.linkname = kind, mode, size, link
    member.uid = member.gid = 0
    member.uname = member.gname = "root"
    member.mtime = 0
    return member


def tar_bytes(add_members):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        add_members(archive)
    return buffer.getvalue()


def layer_members(archive):
    with open(busybox, "rb") as binary:
        data = binary.read()
    archive.addfile(info("bin/", tarfile.DIRTYPE))
    archive.addfile(info("bin/busybox", size=len(data)), io.BytesIO(data))
    for applet in applets:
        archive.addfile(info("bin/" + applet, tarfile.SYMTYPE, mode=0o777, link="busybox"))
    archive.addfile(info("tmp/", tarfile.DIRTYPE, mode=0o1777))


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


layer = tar_bytes(layer_members)
layer_gz = gzip.compress(layer, mtime=0)
config = json.dumps({
    "architecture": architecture,
    "os": "linux",
    "created": "1970-01-01T00:00:00Z",
    "config": {
        "Cmd": ["sh"],
        "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
    },
    "rootfs": {"type": "layers", "diff_ids": [sha256(layer)]},
    "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "scripts/build-test-image.sh"}],
}, sort_keys=True, separators=(",", ":")).encode()


def write_archive(path, files):
    """files: list of (name, bytes); directories are implied."""
    def add(archive):
        made = set()
        for name, data in files:
            parts = name.split("/")[:-1]
            for i in range(1, len(parts) + 1):
                directory = "/".join(parts[:i])
                if directory not in made:
                    made.add(directory)
                    archive.addfile(info(directory + "/", tarfile.DIRTYPE))
            archive.addfile(info(name, mode=0o644, size=len(data)), io.BytesIO(data))
    with open(path + ".tmp", "wb") as out:
        out.write(tar_bytes(add))
    os.replace(path + ".tmp", path)


# oci-archive
manifest = json.dumps({
    "schemaVersion": 2,
    "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha256(config), "size": len(config)},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": sha256(layer_gz),
                "size": len(layer_gz)}],
}, sort_keys=True, separators=(",", ":")).encode()
index = json.dumps({
    "schemaVersion": 2,
    "mediaType": "application/vnd.oci.image.index.v1+json",
    "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": sha256(manifest),
        "size": len(manifest),
        "platform": {"architecture": architecture, "os": "linux"},
        "annotations": {"io.containerd.image.name": reference, "org.opencontainers.image.ref.name": tag},
    }],
}, sort_keys=True, separators=(",", ":")).encode()
blob = lambda data: ("blobs/sha256/" + hashlib.sha256(data).hexdigest(), data)
write_archive(os.path.join(outdir, "busybox-oci.tar"), [
    ("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'),
    ("index.json", index),
    blob(manifest), blob(config), blob(layer_gz),
])

# docker-archive
config_name = hashlib.sha256(config).hexdigest() + ".json"
layer_name = hashlib.sha256(layer).hexdigest() + "/layer.tar"
docker_manifest = json.dumps([{"Config": config_name, "RepoTags": [reference], "Layers": [layer_name]}]).encode()
write_archive(os.path.join(outdir, "busybox-docker.tar"), [
    ("manifest.json", docker_manifest),
    (config_name, config),
    (layer_name, layer),
])
print(os.path.join(outdir, "busybox-oci.tar"))
print(os.path.join(outdir, "busybox-docker.tar"))
PYTHON
