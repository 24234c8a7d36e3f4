// ContainerRuntime: real containers through an OCI runtime (runc, or crun where it works).
//
// - Spec/: `SpecBuilder` turns an `ImageConfig`, a Kubernetes `Container` and its `PodSandbox` into an
//   `OCISpec` (config.json) the way the kubelet and containerd's CRI plugin would. Pure.
// - Runtime/: `RuntimeBinary` finds runc or crun, `OCIRuntime` drives create/start/state/kill/delete with
//   real exit codes (child subreaper + waitpid), CRI-format logs and OOM detection (`CgroupLayout`).
