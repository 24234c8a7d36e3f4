/// The node's image store: content-addressed blobs, image archives (docker-archive, oci-archive) imported from
/// files, layers unpacked once for overlayfs. The entry point is ``ImageStore``.
public enum ContainerImages {}
