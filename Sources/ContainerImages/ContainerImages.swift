// The node's image store: content-addressed blobs, image archives (docker-archive, oci-archive) imported from
// files, layers unpacked once for overlayfs.
//
// The entry point is ``ImageStore``: `import(archive:defaultName:)`, `list()`, `resolve(reference:)`,
// `remove(reference:)`, `config(for:)` (an ``ImageConfig``) and `layerDirectories(for:)`. References are
// normalised by ``ImageReference`` as containerd and the kubelet do. Linux only (`syncfs`, xattrs, overlayfs
// whiteouts); registry pulls are not here yet.
// (No type is named after the module, so that `ContainerImages.ImageConfig` stays a valid qualified name.)
