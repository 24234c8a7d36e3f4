/// Real containers through an OCI runtime (runc, or crun where it works): OCI specs built from the image
/// config and the container spec, and the runtime's command line driven for create, start, state, kill and
/// delete. (Being built: issue 6.)
public enum ContainerRuntime {}
