import Hummingbird
import NIOCore

/// The per-request context: Hummingbird's core storage plus the connection's channel, which carries the
/// TLS peer certificate and tells watches when the client has gone.
public struct SkiffRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// Bodies are read by the handlers themselves, with Kubernetes' 3 MiB limit.
    public var maxUploadSize: Int { RequestBody.maxBytes }
}
