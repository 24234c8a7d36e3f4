// The node's image store: content-addressed blobs, images pulled from registries or imported from archive files
// (docker-archive, oci-archive), layers unpacked once for overlayfs.
//
// The entry point is ``ImageStore``: `pull(reference:credentials:policy:)` (from a registry, with
// ``DockerConfigCredentials``), `import(archive:defaultName:)`, `list()`, `resolve(reference:)`,
// `remove(reference:)`, `config(for:)` (an ``ImageConfig``) and `layerDirectories(for:)`. References are
// normalised by ``ImageReference`` as containerd and the kubelet do. Linux only (`syncfs`, xattrs, overlayfs
// whiteouts).
// (No type is named after the module, so that `ContainerImages.ImageConfig` stays a valid qualified name.)
