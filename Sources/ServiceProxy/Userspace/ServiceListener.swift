/// A socket of the userspace proxy listening for one Service port (`TCPServiceListener`,
/// `UDPServiceListener`), sending what arrives to the port's backends as `chooser` picks them.
protocol ServiceListener: Sendable {
    /// Shared with the proxy, which updates the backends in place when they change.
    var chooser: BackendChooser { get }

    /// Closes the listening socket (and, for UDP, its sessions). Established TCP connections carry on.
    func close() async
}
